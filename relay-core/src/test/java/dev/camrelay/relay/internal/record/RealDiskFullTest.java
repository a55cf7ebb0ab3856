package dev.camrelay.relay.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 2 MiB tmpfs, mounted by the test when it runs as root (skipped otherwise; the injected
 * failure of {@link RecorderTest} covers the logic everywhere).
 */
class RealDiskFullTest {
  @TempDir Path parent;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountTmpfs() throws Exception {
    AviTools.assumeInstalled();
    mount = Files.createDirectory(parent.resolve("small-disk"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    assumeTrue(mounted, "cannot mount a tmpfs (needs root): skipping the real full-disk test: " + out.trim());
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void recordingPausesWhenTheDiskIsFullAndResumesWhenSpaceReturnsWhileTheViewerWatches() throws Exception {
    Path filler = mount.resolve("filler");
    Files.write(filler, new byte[1_500_000]);
    Path dir = mount.resolve("rec");
    try (RecordingFixture f = new RecordingFixture(RecordingFixture.settings(dir).build())) {
      ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + f.relay.wsPort() + "/cam/cam");
      try {
        byte[] big = TestJpegs.bigFrame(1, 320, 240);
        Await.until("the disk fills and recording pauses", Duration.ofSeconds(60), () -> {
          publish(f, big);
          return f.recorder.paused();
        });
        int before = viewer.frames.size();
        // The viewer goes on getting frames (a slow one may skip some: newest wins, as without recording).
        Await.until("the viewer gets frames while recording is paused", () -> {
          publish(f, big);
          return viewer.frames.size() >= before + 5;
        });
        Files.delete(filler);
        long written = f.recorder.framesWritten();
        Await.until("recording resumes by itself", Duration.ofSeconds(60), () -> {
          publish(f, TestJpegs.frame(7));
          return !f.recorder.paused() && f.recorder.framesWritten() > written;
        });
      } finally {
        viewer.closeBlocking();
      }
    }
    RecordingStore store = new RecordingStore(dir);
    assertThat(store.segments("cam")).isNotEmpty();
    for (Segment s : store.segments("cam")) {
      assertThat(AviTools.ffmpegErrors(s.file())).as(s.file().toString()).isEmpty();
      assertThat(AviTools.ffprobeFrames(s.file())).isEqualTo(s.frames());
    }
  }

  private static void publish(RecordingFixture f, byte[] jpeg) {
    try {
      f.relay.publish("cam", jpeg);
      Thread.sleep(20);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
