package dev.camrelay.frame.mjpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.frame.jpeg.CollectingListener;
import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.frame.jpeg.JpegSplitter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MJPEG bodies exchanged with ffmpeg's own mpjpeg muxer and demuxer; skipped when ffmpeg is not installed. */
class MjpegFfmpegInteropTest {
  @TempDir Path dir;

  @Test
  void ffprobeDecodesEveryFrameMjpegWriterWrote() throws Exception {
    assumeTrue(available("ffprobe"), "ffprobe is not installed; skipping the MJPEG interop check");
    List<String> names = List.of("baseline-420.jpg", "progressive.jpg", "grayscale.jpg", "restart-markers.jpg",
        "exif-thumbnail.jpg", "comment-with-ffd9.jpg");
    Path file = dir.resolve("ours.mjpeg");
    MjpegWriter w = new MjpegWriter(MjpegWriter.DEFAULT_BOUNDARY);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (String name : names) {
        w.writePart(out, JpegFrame.parse(Fixtures.bytes(name)));
      }
    }
    String counted = run("ffprobe", "-v", "error", "-f", "mpjpeg", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString());
    assertThat(counted.strip()).isEqualTo(Integer.toString(names.size()));
  }

  @Test
  void mjpegReaderReadsFfmpegsMpjpegOutput() throws Exception {
    assumeTrue(available("ffmpeg"), "ffmpeg is not installed; skipping the MJPEG interop check");
    Path file = dir.resolve("ffmpeg.mjpeg");
    run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10",
        "-frames:v", "5", "-q:v", "5", "-f", "mpjpeg", file.toString());
    byte[] body = Files.readAllBytes(file);
    String firstLine = new String(body, 0, 20, StandardCharsets.ISO_8859_1).split("\r\n")[0];
    assertThat(firstLine).isEqualTo("--ffmpeg"); // ffmpeg writes "Content-length" in this case, too

    CollectingListener out = new CollectingListener();
    MjpegReader r = new MjpegReader("ffmpeg", JpegSplitter.DEFAULT_MAX_FRAME_BYTES, out);
    for (int[] c : Fixtures.randomChunks(body.length, 5, 3000)) {
      r.feed(body, c[0], c[1]);
    }
    r.endOfStream();
    assertThat(out.discards).isEmpty();
    assertThat(out.frames).hasSize(5);
    for (JpegFrame f : out.frames) {
      JpegInfo info = JpegInfo.of(f);
      assertThat(info.width()).isEqualTo(320);
      assertThat(info.height()).isEqualTo(240);
    }
  }

  private static boolean available(String tool) {
    try {
      Process p = new ProcessBuilder(tool, "-version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String run(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
    assertThat(p.exitValue()).as("%s exit code; output: %s", cmd, output).isZero();
    return output;
  }
}
