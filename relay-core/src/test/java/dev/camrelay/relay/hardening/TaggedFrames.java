package dev.camrelay.relay.hardening;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.testing.TestJpegs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real JPEGs that each carry a unique tag in a COM segment, so any frame a viewer receives can be traced back to
 * the exact bytes a camera sent, without keeping those bytes: the tag names the base image, and re-tagging it
 * rebuilds the sent frame byte for byte.
 *
 * <pre>
 *  FF D8 | FF E0 len JFIF... | FF FE len "crtag:{camera}:{seq}:{base}" | rest of the base JPEG ...  FF D9
 *  SOI     APP0 (if present)   COM (the tag)
 * </pre>
 *
 * {@link #verify} accepts a delivered frame only if it is one complete JPEG ({@link JpegFrame#parse}), carries a
 * tag of the expected camera whose sequence number was handed out, and is byte-identical to the rebuilt frame.
 */
final class TaggedFrames {
  private static final String PREFIX = "crtag:";

  private final List<byte[]> bases;
  private final Map<String, AtomicLong> nextSeq = new ConcurrentHashMap<>();
  private final AtomicLong tagged = new AtomicLong();

  private TaggedFrames(List<byte[]> bases) {
    this.bases = bases;
  }

  /**
   * A pool of distinct base images: small 160x120 frames, some 320x240, and {@code big} noisy frames of several
   * tens of kilobytes (they span many TCP segments, so a disconnect can cut them in the middle).
   */
  static TaggedFrames pool(int small, int medium, int big) {
    List<byte[]> bases = new ArrayList<>();
    for (int i = 0; i < small; i++) {
      bases.add(TestJpegs.frame(i));
    }
    for (int i = 0; i < medium; i++) {
      bases.add(TestJpegs.frame(1000 + i, 320, 240));
    }
    for (int i = 0; i < big; i++) {
      bases.add(TestJpegs.bigFrame(2000 + i, 240, 180));
    }
    return new TaggedFrames(List.copyOf(bases));
  }

  int baseCount() {
    return bases.size();
  }

  /** The next frame of {@code cameraId} built on base image {@code base}: a new tag, never used before. */
  byte[] next(String cameraId, int base) {
    long seq = nextSeq.computeIfAbsent(cameraId, k -> new AtomicLong()).incrementAndGet();
    tagged.incrementAndGet();
    return build(cameraId, seq, Math.floorMod(base, bases.size()));
  }

  /** Frames handed out so far (sent completely or not). */
  long handedOut() {
    return tagged.get();
  }

  private byte[] build(String cameraId, long seq, int base) {
    byte[] jpeg = bases.get(base);
    byte[] text = (PREFIX + cameraId + ":" + seq + ":" + base).getBytes(StandardCharsets.US_ASCII);
    int at = afterApp0(jpeg);
    byte[] out = new byte[jpeg.length + 4 + text.length];
    System.arraycopy(jpeg, 0, out, 0, at);
    out[at] = (byte) 0xFF;
    out[at + 1] = (byte) 0xFE;
    int segmentLength = text.length + 2;
    out[at + 2] = (byte) (segmentLength >> 8);
    out[at + 3] = (byte) segmentLength;
    System.arraycopy(text, 0, out, at + 4, text.length);
    System.arraycopy(jpeg, at, out, at + 4 + text.length, jpeg.length - at);
    return out;
  }

  /** Offset just after SOI, or after an APP0 segment right behind it (JFIF wants APP0 first). */
  private static int afterApp0(byte[] jpeg) {
    if (jpeg.length > 6 && (jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
      return 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    }
    return 2;
  }

  /** The tag text of a JPEG (the first COM segment before the scan), or null. */
  static String tagOf(byte[] jpeg) {
    int pos = 2;
    while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
      int marker = jpeg[pos + 1] & 0xFF;
      int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
      if (marker == 0xDA || length < 2 || pos + 2 + length > jpeg.length) {
        return null;
      }
      if (marker == 0xFE) {
        String text = new String(jpeg, pos + 4, length - 2, StandardCharsets.US_ASCII);
        return text.startsWith(PREFIX) ? text : null;
      }
      pos += 2 + length;
    }
    return null;
  }

  /** The sequence number in a tag. */
  static long seqOf(String tag) {
    String[] parts = tag.split(":");
    return Long.parseLong(parts[2]);
  }

  /**
   * Checks one delivered message/part of camera {@code cameraId}; returns null if it is exactly a frame that camera
   * sent, else what is wrong.
   */
  String verify(String cameraId, byte[] delivered) {
    try {
      JpegFrame.parse(delivered);
    } catch (JpegFormatException e) {
      return "not exactly one complete JPEG (" + delivered.length + " bytes): " + e.getMessage();
    }
    String tag = tagOf(delivered);
    if (tag == null) {
      return "complete JPEG of " + delivered.length + " bytes without a tag";
    }
    String[] parts = tag.split(":");
    if (parts.length != 4) {
      return "malformed tag " + tag;
    }
    if (!parts[1].equals(cameraId)) {
      return "frame of camera '" + parts[1] + "' delivered to a viewer of '" + cameraId + "' (" + tag + ")";
    }
    long seq;
    int base;
    try {
      seq = Long.parseLong(parts[2]);
      base = Integer.parseInt(parts[3]);
    } catch (NumberFormatException e) {
      return "malformed tag " + tag;
    }
    AtomicLong issued = nextSeq.get(cameraId);
    if (issued == null || seq < 1 || seq > issued.get() || base < 0 || base >= bases.size()) {
      return "tag never handed out: " + tag;
    }
    byte[] expected = build(cameraId, seq, base);
    if (!Arrays.equals(expected, delivered)) {
      return "bytes differ from what the camera sent for " + tag + " (" + delivered.length + " vs "
          + expected.length + " bytes)";
    }
    return null;
  }
}
