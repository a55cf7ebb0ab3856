package dev.camrelay.frame.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes {@link Message}s in the v1 wire format. Stateless; all methods are static and thread-safe.
 *
 * <p>A sender with a large payload (a JPEG) writes {@link #header(Message)} and then the payload buffer it already
 * has — e.g. as two buffers in one gathering write — so the payload is never copied.
 */
public final class MessageEncoder {
  private static final int COPY_CHUNK = 8192;

  private MessageEncoder() {}

  /** Header and payload in one new array. */
  public static byte[] encode(Message message) {
    byte[] out = new byte[Message.HEADER_LENGTH + message.payloadLength()];
    writeHeader(message, out, 0);
    message.payload().get(out, Message.HEADER_LENGTH, message.payloadLength());
    return out;
  }

  /** The 24 header bytes in a new buffer, position 0, limit 24; the payload goes right after it. */
  public static ByteBuffer header(Message message) {
    byte[] out = new byte[Message.HEADER_LENGTH];
    writeHeader(message, out, 0);
    return ByteBuffer.wrap(out);
  }

  /** Writes the 24 header bytes into {@code dst} at {@code off}. */
  public static void writeHeader(Message message, byte[] dst, int off) {
    ByteBuffer.wrap(dst, off, Message.HEADER_LENGTH)
        .putInt(Message.MAGIC)
        .put((byte) Message.VERSION)
        .put((byte) message.typeCode())
        .putShort((short) message.flags())
        .putInt(message.payloadLength())
        .putInt((int) message.sequence())
        .putLong(message.timestampMicros());
  }

  /** Writes header then payload to {@code out} (not flushed); the payload is not copied when array-backed. */
  public static void write(Message message, OutputStream out) throws IOException {
    out.write(header(message).array());
    byte[] array = message.payloadArray();
    if (array != null) {
      out.write(array, 0, array.length);
      return;
    }
    ByteBuffer payload = message.payload();
    byte[] chunk = new byte[Math.min(COPY_CHUNK, payload.remaining())];
    while (payload.hasRemaining()) {
      int n = Math.min(chunk.length, payload.remaining());
      payload.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }
}
