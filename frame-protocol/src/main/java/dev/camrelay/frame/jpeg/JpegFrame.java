package dev.camrelay.frame.jpeg;

import dev.camrelay.frame.internal.ByteScan;
import dev.camrelay.frame.internal.JpegWalker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An immutable, complete, structurally valid JPEG (SOI .. EOI). Safe to share between threads.
 *
 * <p>"Structurally valid" means the marker structure was walked from SOI to EOI: known markers, sane segment
 * lengths, a frame header (SOFn) before the first scan (SOS), at least one scan, and nothing after the EOI.
 * The pixels are not decoded, so a frame can still hold garbled entropy-coded data.
 *
 * <p>A frame wraps its byte array without copying; {@link #asByteBuffer()} and {@link #writeTo} expose the
 * bytes without copying either. Frames from {@link JpegSplitter} own their array; with {@link #parse} the
 * caller hands its array over and must not modify it afterwards.
 */
public final class JpegFrame {
  private final byte[] bytes;

  JpegFrame(byte[] trustedBytes) {
    this.bytes = trustedBytes;
  }

  /**
   * Validates that {@code jpeg} holds exactly one complete JPEG and wraps it without copying.
   *
   * <p>Trailing bytes after the EOI, even zero padding, are rejected: trim them first. (Frames that a
   * {@link JpegSplitter} cuts from a stream never carry padding; it is counted as garbage between frames.)
   *
   * @throws JpegFormatException with a message that says what is wrong and where
   */
  public static JpegFrame parse(byte[] jpeg) throws JpegFormatException {
    int len = jpeg.length;
    if (len < 2 || jpeg[0] != (byte) 0xFF || jpeg[1] != (byte) 0xD8) {
      throw new JpegFormatException(
          "no SOI marker at offset 0 (saw " + (len == 0 ? "no bytes" : ByteScan.hex(jpeg, 0, Math.min(len, 2), 2)) + ")");
    }
    JpegWalker walker = new JpegWalker();
    walker.startAfterSoi();
    int end = walker.walk(jpeg, 2, len);
    switch (walker.result()) {
      case JpegWalker.COMPLETE:
        if (end != len) {
          throw new JpegFormatException((len - end) + " trailing bytes after the EOI at offset " + (end - 2)
              + " (" + ByteScan.hex(jpeg, end, len - end, 4) + "); a JpegFrame holds exactly one JPEG");
        }
        return new JpegFrame(jpeg);
      case JpegWalker.CORRUPT:
        throw new JpegFormatException(walker.error());
      case JpegWalker.NEW_SOI:
        throw new JpegFormatException("SOI marker at offset " + (end - 2)
            + " inside the image (a second JPEG, or this one was cut short)");
      default:
        throw new JpegFormatException(
            "truncated JPEG: " + len + " bytes end " + walker.describePosition());
    }
  }

  /** Number of bytes, SOI to EOI inclusive. */
  public int size() {
    return bytes.length;
  }

  /** A read-only view over the bytes: position 0, limit {@link #size()}. Does not copy. */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Writes the bytes to {@code out} in one call. Does not flush. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, bytes.length);
  }

  /** The byte at {@code index}. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** The backing array, for this package only; never modify or hand it out. */
  byte[] array() {
    return bytes;
  }

  /** Equal when the bytes are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof JpegFrame && Arrays.equals(bytes, ((JpegFrame) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "JpegFrame[" + bytes.length + " bytes]";
  }
}
