package dev.camrelay.relay.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.relay.testing.TestJpegs;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Players other than ffmpeg, each with its own AVI demuxer, read a file that spans several RIFFs through its OpenDML
 * index: VLC and GStreamer.
 */
class OtherPlayersTest {
  private static final int FRAMES = 200;
  private Path dir;
  private Path file;

  @BeforeEach
  void writeFile() throws Exception {
    // World-readable: VLC refuses to run as root, so it runs as nobody.
    dir = Files.createTempDirectory("camrelay-players", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    file = dir.resolve("multi-riff.avi");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      AviWriter w = AviWriter.start(ch, 160, 120, 64 * 1024); // RIFFs of 64 KiB stand in for 1 GiB
      for (int i = 0; i < FRAMES; i++) {
        w.write(1_700_000_000_000_000L + i * 10_000L, TestJpegs.frame(i)); // 100 fps: VLC plays it in 2 s
      }
      w.close();
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  @AfterEach
  void delete() throws Exception {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @Test
  void vlcPlaysTheFileThroughItsOpenDmlSubindexes() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/cvlc")), "VLC not installed: skipping");
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("runuser", "-u", "nobody", "--"));
    }
    command.addAll(List.of("/usr/bin/cvlc", "-I", "dummy", "-vv", "--no-audio", "--vout=dummy", "--play-and-exit",
        file.toString()));
    String log = run(command);
    assertThat(log).contains("using demux module \"avi\"").contains("loading subindex")
        .contains("Received first picture").doesNotContain("broken or missing");
  }

  @Test
  void gstreamerDecodesEveryFrame() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gst-launch-1.0")), "GStreamer not installed: skipping");
    String log = run(List.of("/usr/bin/gst-launch-1.0", "-v", "filesrc", "location=" + file, "!", "avidemux", "!",
        "jpegdec", "!", "fakesink", "silent=false"));
    assertThat(log.lines().filter(l -> l.contains("chain")).count()).isEqualTo(FRAMES);
  }

  private String run(List<String> command) throws Exception {
    Path log = Files.createTempFile("camrelay-player", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      assertThat(p.exitValue()).as(text).isZero();
      return text;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
