package dev.camrelay.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbedRelayTest {
  @TempDir Path dir;

  private static byte[] jpeg(Color c) throws Exception {
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 160, 120);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  @Test
  @Timeout(60)
  void savesSnapshotsAndNoticesABigPictureChange() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path snapshots = dir.resolve("snapshots");
    try (EmbedRelay app = new EmbedRelay(0, 0, 0, snapshots, Duration.ofSeconds(1), 30,
        new PrintStream(printed, true))) {
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains("Cameras push to tcp port " + app.relay().tcpPort())
          .contains("watch http://localhost:" + app.relay().httpPort() + "/");
      byte[] black = jpeg(Color.BLACK);
      byte[] white = jpeg(Color.WHITE);
      // A raw-JPEG camera: one connection, JPEGs back to back, alternating black and white until the listener
      // has saved a snapshot and reported a change (the analyzer looks at most 4 frames a second).
      try (Socket camera = new Socket("127.0.0.1", app.relay().tcpPort())) {
        OutputStream out = camera.getOutputStream();
        for (int i = 0; app.saver().changes() == 0 || app.saver().saved() < 2; i++) {
          out.write(i % 2 == 0 ? black : white);
          out.flush();
          Thread.sleep(300);
        }
      }
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(snapshots)) {
      files = list.toList();
    }
    assertThat(files).isNotEmpty().allSatisfy(f -> {
      assertThat(f.getFileName().toString()).startsWith("default-").endsWith(".jpg");
      JpegFrame.parse(Files.readAllBytes(f)); // a complete JPEG
    });
  }

  @Test
  void thumbnailsOfBlackAndWhiteDifferByAlmostEverything() throws Exception {
    int[] black = SnapshotSaver.thumbnail(ImageIO.read(new java.io.ByteArrayInputStream(jpeg(Color.BLACK))));
    int[] white = SnapshotSaver.thumbnail(ImageIO.read(new java.io.ByteArrayInputStream(jpeg(Color.WHITE))));
    assertThat(SnapshotSaver.meanAbsoluteDifference(black, white)).isGreaterThan(240);
    assertThat(SnapshotSaver.meanAbsoluteDifference(black, black)).isZero();
  }
}
