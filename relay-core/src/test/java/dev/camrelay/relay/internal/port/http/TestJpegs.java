package dev.camrelay.relay.internal.port.http;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real baseline JPEGs made with the JDK's ImageIO encoder. */
public final class TestJpegs {
  private TestJpegs() {}

  /** A smooth gradient image (small file). */
  public static byte[] gradient(int width, int height, int shade) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, ((x * 255 / width) << 16) | ((y * 255 / height) << 8) | (shade & 0xff));
      }
    }
    return encode(image, 0.8f);
  }

  /** One colour ({@code 0xRRGGBB}) all over. */
  public static byte[] solid(int width, int height, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return encode(image, 0.8f);
  }

  /** A noise image: large and incompressible, good for filling socket buffers. */
  public static byte[] noise(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return encode(image, 0.95f);
  }

  /** {@code base} with a COM segment "seq=N" right after SOI: a distinct, valid JPEG per sequence number. */
  public static byte[] withSequence(byte[] base, int sequence) {
    byte[] text = ("seq=" + sequence).getBytes(StandardCharsets.US_ASCII);
    int segmentLength = text.length + 2;
    byte[] out = new byte[base.length + 2 + segmentLength];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xD8;
    out[2] = (byte) 0xFF;
    out[3] = (byte) 0xFE;
    out[4] = (byte) (segmentLength >> 8);
    out[5] = (byte) segmentLength;
    System.arraycopy(text, 0, out, 6, text.length);
    System.arraycopy(base, 2, out, 6 + text.length, base.length - 2);
    return out;
  }

  /** The N of a JPEG made by {@link #withSequence}, or -1. */
  public static int sequenceOf(byte[] jpeg) {
    if (jpeg.length < 8 || (jpeg[2] & 0xff) != 0xFF || (jpeg[3] & 0xff) != 0xFE) {
      return -1;
    }
    int length = ((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff);
    String text = new String(jpeg, 6, length - 2, StandardCharsets.US_ASCII);
    return text.startsWith("seq=") ? Integer.parseInt(text.substring(4)) : -1;
  }

  public static JpegFrame frame(byte[] jpeg) {
    try {
      return JpegFrame.parse(jpeg);
    } catch (JpegFormatException e) {
      throw new IllegalStateException("test JPEG is invalid: " + e.getMessage(), e);
    }
  }

  private static byte[] encode(BufferedImage image, float quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
