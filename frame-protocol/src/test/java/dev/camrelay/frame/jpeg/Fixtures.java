package dev.camrelay.frame.jpeg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** The committed JPEG fixtures (see src/test/resources/jpeg/make-fixtures.sh) and stream helpers for tests. */
public final class Fixtures {
  /** Every fixture file name. */
  public static final List<String> ALL = List.of(
      "baseline-420.jpg", "baseline-422.jpg", "grayscale.jpg", "progressive.jpg", "tiny-8x8.jpg",
      "large-1600x1200.jpg", "exif-thumbnail.jpg", "restart-markers.jpg", "comment-with-ffd9.jpg",
      "camera-800x600-1.jpg", "camera-800x600-2.jpg", "camera-800x600-3.jpg");

  private Fixtures() {}

  /** The bytes of fixture {@code name}. */
  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/jpeg/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of every fixture, in {@link #ALL} order. */
  public static List<byte[]> all() {
    List<byte[]> out = new ArrayList<>();
    for (String name : ALL) {
      out.add(bytes(name));
    }
    return out;
  }

  /** Frames wrapping copies of the given JPEGs, for comparisons with readable failure messages. */
  public static List<JpegFrame> frames(List<byte[]> jpegs) {
    List<JpegFrame> out = new ArrayList<>();
    for (byte[] j : jpegs) {
      try {
        out.add(JpegFrame.parse(j.clone()));
      } catch (JpegFormatException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return out;
  }

  /** Frames wrapping copies of the given JPEGs. */
  public static List<JpegFrame> frames(byte[]... jpegs) {
    return frames(List.of(jpegs));
  }

  /** Concatenates byte arrays. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Concatenates byte arrays. */
  public static byte[] concat(List<byte[]> parts) {
    return concat(parts.toArray(new byte[0][]));
  }

  /** Bytes from lower-case hex, whitespace ignored. */
  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  /** Cut points of {@code length} bytes into random chunks of 1..maxChunk bytes (seeded, reproducible). */
  public static List<int[]> randomChunks(int length, long seed, int maxChunk) {
    Random r = new Random(seed);
    List<int[]> out = new ArrayList<>();
    int pos = 0;
    while (pos < length) {
      int n = Math.min(length - pos, 1 + r.nextInt(maxChunk));
      out.add(new int[] {pos, n});
      pos += n;
    }
    return out;
  }

  /** A minimal valid JPEG (SOI, SOF0 1 component, SOS, 3 entropy bytes, EOI) padded with a COM to {@code size}. */
  public static byte[] syntheticJpeg(int size) {
    byte[] head = hex("ffd8");
    byte[] sof = hex("ffc0 000b 08 0008 0008 01 011100");
    byte[] sos = hex("ffda 0008 01 0100 003f00");
    byte[] data = hex("12 ff00 34");
    byte[] eoi = hex("ffd9");
    int fixed = head.length + sof.length + sos.length + data.length + eoi.length;
    int comLen = size - fixed;
    if (comLen == 0) {
      return concat(head, sof, sos, data, eoi);
    }
    if (comLen < 4 || comLen > 65537) {
      throw new IllegalArgumentException("size " + size);
    }
    byte[] com = new byte[comLen];
    com[0] = (byte) 0xFF;
    com[1] = (byte) 0xFE;
    com[2] = (byte) ((comLen - 2) >> 8);
    com[3] = (byte) (comLen - 2);
    return concat(head, com, sof, sos, data, eoi);
  }
}
