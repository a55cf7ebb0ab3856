package dev.camrelay.cli.simulate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws the simulator's moving test pattern (colour bars, a sweeping ball, a clock and a frame counter) with
 * Java2D and encodes it as a baseline JPEG with ImageIO. Not thread-safe: one instance per sending thread.
 */
final class TestPattern {
  private static final Color[] BARS = {
    Color.WHITE, Color.YELLOW, Color.CYAN, Color.GREEN, Color.MAGENTA, Color.RED, Color.BLUE, Color.DARK_GRAY
  };
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final ImageWriter writer;
  private BufferedImage image;

  TestPattern() {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this JVM has no ImageIO JPEG writer");
    }
    this.writer = writers.next();
  }

  /** Renders frame {@code frameNumber} with the given camera settings and returns the JPEG bytes. */
  byte[] render(long frameNumber, String label, CameraSettings.Snapshot s) {
    int w = s.width();
    int h = s.height();
    if (image == null || image.getWidth() != w || image.getHeight() != h) {
      image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }
    Graphics2D g = image.createGraphics();
    try {
      // vflip/hmirror act like the sensor: the whole picture, text included, is flipped.
      AffineTransform t = new AffineTransform();
      if (s.hmirror()) {
        t.translate(w, 0);
        t.scale(-1, 1);
      }
      if (s.vflip()) {
        t.translate(0, h);
        t.scale(1, -1);
      }
      g.setTransform(t);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      drawBars(g, w, h);
      drawBall(g, w, h, frameNumber);
      drawText(g, w, h, frameNumber, label);
      drawLed(g, w, s.led());
      drawBrightness(g, w, h, s.brightness());
    } finally {
      g.dispose();
    }
    return encode(image, s.quality());
  }

  private static void drawBars(Graphics2D g, int w, int h) {
    int barHeight = h * 2 / 3;
    for (int i = 0; i < BARS.length; i++) {
      g.setColor(BARS[i]);
      int x0 = i * w / BARS.length;
      int x1 = (i + 1) * w / BARS.length;
      g.fillRect(x0, 0, x1 - x0, barHeight);
    }
    for (int x = 0; x < w; x++) { // a grey ramp under the bars
      int v = x * 255 / Math.max(1, w - 1);
      g.setColor(new Color(v, v, v));
      g.drawLine(x, barHeight, x, h);
    }
  }

  private static void drawBall(Graphics2D g, int w, int h, long n) {
    int r = Math.max(4, Math.min(w, h) / 10);
    double phase = (n % 120) / 120.0 * 2 * Math.PI;
    int cx = (int) (w / 2.0 + Math.cos(phase) * (w / 2.0 - r));
    int cy = (int) (h / 3.0 + Math.sin(phase) * (h / 3.0 - r));
    g.setColor(Color.ORANGE);
    g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(Math.max(1, r / 8f)));
    g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
  }

  private static void drawText(Graphics2D g, int w, int h, long n, String label) {
    int size = Math.max(8, h / 12);
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, size));
    String[] lines = {LocalTime.now().format(CLOCK), "#" + n, label + " " + w + "x" + h};
    int y = h - lines.length * (size + 4) + size / 2;
    for (String line : lines) {
      g.setColor(Color.BLACK);
      g.drawString(line, size / 2 + 2, y + 2);
      g.setColor(Color.WHITE);
      g.drawString(line, size / 2, y);
      y += size + 4;
    }
  }

  private static void drawLed(Graphics2D g, int w, int led) {
    if (led <= 0) {
      return;
    }
    int r = Math.max(3, w / 40);
    g.setColor(new Color(255, 255, 255 - Math.min(255, led)));
    g.fillOval(w - 3 * r, r, 2 * r, 2 * r);
  }

  private static void drawBrightness(Graphics2D g, int w, int h, int brightness) {
    if (brightness == 0) {
      return;
    }
    int alpha = Math.min(200, Math.abs(brightness) * 50);
    g.setColor(brightness > 0 ? new Color(255, 255, 255, alpha) : new Color(0, 0, 0, alpha));
    g.fillRect(0, 0, w, h);
  }

  /** ESP32 quality is 0 (best) .. 63 (worst); ImageIO's is 1.0 (best) .. 0.0. */
  static float imageIoQuality(int esp32Quality) {
    int q = Math.max(0, Math.min(63, esp32Quality));
    return Math.max(0.05f, 1f - q / 63f);
  }

  private byte[] encode(BufferedImage img, int esp32Quality) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 4);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(imageIoQuality(esp32Quality));
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
      writer.reset();
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed", e);
    }
    return bytes.toByteArray();
  }
}
