package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The recording options as a user gives them. */
@Timeout(90)
class RecordCommandTest {
  @TempDir Path dir;

  @Test
  void recordDirRecordsTheCamerasChosenWithRecordAndTheBannerSaysWhere() throws Exception {
    Path rec = dir.resolve("rec");
    byte[] jpeg = jpeg();
    try (Cli.Running cmd = Cli.start(Map.of("CAMRELAY_RECORD_KEEP", "7d"), "--bind", "127.0.0.1", "--tcp-port", "0",
        "--ws-port", "0", "--http-port", "0", "--status-interval", "0", "--record-dir", rec.toString(), "--record",
        "porch,yard", "--record-segment", "1m", "--record-max-size", "20GiB")) {
      assertThat(cmd.out()).containsPattern("Recording\\s+" + java.util.regex.Pattern.quote(rec.toAbsolutePath()
          .toString()) + "\\s+\\(porch,yard, kept 7d, at most 20GiB\\)");
      cmd.relay().publish("porch", jpeg);
      cmd.relay().publish("garage", jpeg);
      Await.until("porch's frame recorded", () -> {
        List<Path> segments = RecordedFiles.segments(rec, "porch");
        return segments.size() == 1 && RecordedFiles.jpegs(segments.get(0)).size() == 1;
      }, recorded -> recorded);
      assertThat(cmd.stop().exitCode()).isZero();
      try (java.util.stream.Stream<Path> cameras = Files.list(rec)) {
        assertThat(cameras.map(p -> p.getFileName().toString())).containsExactly("porch");
      }
      assertThat(RecordedFiles.jpegs(RecordedFiles.segments(rec, "porch").get(0))).singleElement()
          .isEqualTo(jpeg);
    }
  }

  @Test
  void recordingOptionsWithoutARecordDirAreAUsageError() {
    Cli.Result r = Cli.run("--record", "porch", "--record-keep", "7d");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("need --record-dir");
  }

  @Test
  void aSegmentLengthOutsideItsRangeNamesTheOption() {
    Cli.Result r = Cli.run("--record-dir", dir.toString(), "--record-segment", "500ms");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--record-segment must be between 1 s and 24 h");
  }

  @Test
  void anInvalidCameraIdInRecordIsRefused() {
    Cli.Result r = Cli.run("--record-dir", dir.toString(), "--record", "../etc");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("invalid camera id");
    assertThat(Files.exists(dir.resolve("etc"))).isFalse();
  }

  private static byte[] jpeg() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "jpeg", out);
    return out.toByteArray();
  }
}
