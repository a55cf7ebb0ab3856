package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real browser shows the stream in a plain {@code <img>} (headless Chromium, screenshot checked pixel-wise). */
class MjpegInBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;

  @Test
  void chromiumRendersTheStreamInAnImgTag() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "chromium not installed at /usr/bin/chromium: skipping the browser check");
    try (HttpFixture http = new HttpFixture(TestConfig.builder())) {
      // Top-left black to right red, top-to-bottom green: a recognisable picture.
      byte[] base = TestJpegs.gradient(160, 120, 0);
      AtomicBoolean publishing = new AtomicBoolean(true);
      Thread publisher = new Thread(() -> {
        for (int i = 0; publishing.get(); i++) {
          http.publish("browser", TestJpegs.withSequence(base, i));
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      publisher.start();
      Path shot = dir.resolve("shot.png");
      try {
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
            "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"), "--window-size=200,150",
            "--timeout=3000", "--screenshot=" + shot, "http://127.0.0.1:" + http.port + "/mjpeg-img.html")
            .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
          chromium.destroyForcibly();
          throw new AssertionError("chromium did not finish within 90 s");
        }
        assertThat(Files.exists(shot)).as(Files.readString(dir.resolve("chromium.log"), StandardCharsets.UTF_8))
            .isTrue();
      } finally {
        publishing.set(false);
        publisher.join(5000);
      }
      BufferedImage image = ImageIO.read(new File(shot.toString()));
      // Inside the 160x120 <img>: red at the top right, green at the bottom left. Outside: the black page.
      assertThat(rgb(image, 150, 5)).as("top right of the picture").satisfies(c -> {
        assertThat(c[0]).isGreaterThan(200);
        assertThat(c[1]).isLessThan(60);
      });
      assertThat(rgb(image, 5, 112)).as("bottom left of the picture").satisfies(c -> {
        assertThat(c[0]).isLessThan(60);
        assertThat(c[1]).isGreaterThan(200);
      });
      assertThat(rgb(image, 190, 140)).as("page background")
          .satisfies(c -> assertThat(c[0] + c[1] + c[2]).isLessThan(30));
    }
  }

  private static int[] rgb(BufferedImage image, int x, int y) {
    int p = image.getRGB(x, y);
    return new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
  }
}
