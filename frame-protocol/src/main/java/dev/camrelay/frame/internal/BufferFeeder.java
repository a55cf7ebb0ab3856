package dev.camrelay.frame.internal;

import java.nio.ByteBuffer;

/**
 * Feeds a {@link ByteBuffer} to a push decoder that reads {@code byte[]} ranges. Internal: not part of the public API.
 *
 * <p>A heap buffer with an accessible array is fed in place, in one call, with its position set to its limit first.
 * Any other buffer (direct, or read-only, whose array is hidden) is copied through one reused array of
 * {@value #CHUNK} bytes, allocated on first use, and fed chunk by chunk; its position advances chunk by chunk.
 * One instance per decoder; not thread-safe.
 */
public final class BufferFeeder {
  /** Size of the copy array for direct and read-only buffers. */
  public static final int CHUNK = 16 * 1024;

  /** The decoder's {@code feed(byte[], int, int)}. */
  @FunctionalInterface
  public interface ArraySink<E extends Exception> {
    void feed(byte[] buf, int off, int len) throws E;
  }

  private byte[] scratch;

  /** Hands all of {@code buf.remaining()} to {@code sink}; an exception from it propagates (the rest is not fed). */
  public <E extends Exception> void feed(ByteBuffer buf, ArraySink<E> sink) throws E {
    if (buf.hasArray()) {
      int n = buf.remaining();
      int p = buf.position();
      buf.position(p + n);
      sink.feed(buf.array(), buf.arrayOffset() + p, n);
      return;
    }
    if (scratch == null) {
      scratch = new byte[CHUNK];
    }
    byte[] chunk = scratch;
    while (buf.hasRemaining()) {
      int n = Math.min(chunk.length, buf.remaining());
      buf.get(chunk, 0, n);
      sink.feed(chunk, 0, n);
    }
  }
}
