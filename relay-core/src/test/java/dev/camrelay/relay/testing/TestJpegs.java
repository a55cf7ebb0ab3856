package dev.camrelay.relay.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real JPEGs made with javax.imageio: each numbered frame differs, so byte comparisons mean something. */
public final class TestJpegs {
  private TestJpegs() {}

  public static byte[] frame(int number) {
    return frame(number, 160, 120);
  }

  public static byte[] frame(int number, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color((number * 37) & 0xff, (number * 91) & 0xff, (number * 53) & 0xff));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, Math.max(10, height / 4)));
    g.drawString("#" + number, width / 8, height / 2);
    g.dispose();
    return encode(img, 0.8f);
  }

  /** A larger frame (roughly {@code approxKb} KB of noise-like detail), for slow-viewer tests. */
  public static byte[] bigFrame(int number, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.util.Random r = new java.util.Random(number);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, r.nextInt());
      }
    }
    return encode(img, 0.9f);
  }

  /** A one-component (grayscale) JPEG, which some outputs (RTSP) cannot carry. */
  public static byte[] grayscale(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.GRAY);
    g.fillRect(0, 0, width / 2, height);
    g.dispose();
    return encode(img, 0.8f);
  }

  /**
   * Frame {@code number} coded with image-specific ("optimal") Huffman tables, as ffmpeg's encoder and many IP
   * cameras write them, instead of the standard ones of JPEG Annex K.
   */
  public static byte[] optimalHuffman(int number, int width, int height) {
    try {
      BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(frame(number, width, height)));
      JPEGImageWriteParam p = new JPEGImageWriteParam(null);
      p.setOptimizeHuffmanTables(true);
      return encode(img, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] encode(BufferedImage img, float quality) {
    JPEGImageWriteParam p = new JPEGImageWriteParam(null);
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(quality);
    return encode(img, p);
  }

  private static byte[] encode(BufferedImage img, ImageWriteParam p) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(img, null, null), p);
      } finally {
        writer.dispose();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
