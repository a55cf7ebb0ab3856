package dev.camrelay.relay.internal.output.websocket;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encodes a JPEG as one unmasked, final, binary WebSocket frame (RFC 6455 §5.2), once per frame: server frames carry
 * no mask and the relay negotiates no extensions, so the same bytes go to every viewer.
 *
 * <pre>
 *  byte 0     byte 1            then                       then
 * +---------+-----------------+--------------------------+----------------+
 * | 0x82    | len (0..125)    |                          | JPEG bytes     |
 * | FIN|bin | 126             | u16 length               |                |
 * |         | 127             | u64 length               |                |
 * +---------+-----------------+--------------------------+----------------+
 * </pre>
 *
 * <p>The encoding lives in native (direct) memory: a socket write from a heap buffer makes the JDK copy it into a
 * temporary native buffer first, once per viewer and frame. Native buffers are recycled through a small per-camera
 * pool, so the relay allocates none in steady state; a buffer goes back to the pool only when no viewer can still
 * write from it ({@link Encoded#release}).
 */
public final class WsFrames {
  private WsFrames() {}

  /** Bytes of the frame header for a payload of {@code n} bytes. */
  static int headerLength(int n) {
    return n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
  }

  /** Writes the whole frame into {@code out} (position 0, limit = frame length). */
  static ByteBuffer encodeInto(JpegFrame jpeg, ByteBuffer out) {
    int n = jpeg.size();
    out.clear();
    out.put((byte) 0x82);
    if (n < 126) {
      out.put((byte) n);
    } else if (n <= 0xFFFF) {
      out.put((byte) 126);
      out.putShort((short) n);
    } else {
      out.put((byte) 127);
      out.putLong(n);
    }
    out.put(jpeg.asByteBuffer());
    out.flip();
    return out;
  }

  /** A read-only heap buffer holding the whole frame (for tests and one-off use). */
  static ByteBuffer binary(JpegFrame jpeg) {
    int n = jpeg.size();
    return encodeInto(jpeg, ByteBuffer.allocate(headerLength(n) + n)).asReadOnlyBuffer();
  }

  /**
   * One frame's encoding, shared by the viewers that write it. Counted references: the {@link Cache} holds one while
   * this is its latest frame, each viewer one from {@link Cache#acquire} until its write finished or was abandoned.
   */
  static final class Encoded {
    private final Cache owner;
    private final JpegFrame frame;
    private final ByteBuffer bytes;
    private final AtomicInteger refs = new AtomicInteger(1);

    private Encoded(Cache owner, JpegFrame frame, ByteBuffer bytes) {
      this.owner = owner;
      this.frame = frame;
      this.bytes = bytes;
    }

    /** A fresh read-only view of the frame (position 0), for one write. */
    ByteBuffer view() {
      return bytes.asReadOnlyBuffer();
    }

    /**
     * Gives up one reference. The last one returns the buffer to the pool, so the caller must be sure nothing
     * reads the buffer any more (the write finished, or the channel's writes were closed).
     */
    void release() {
      int left = refs.decrementAndGet();
      if (left == 0) {
        owner.recycle(bytes);
      } else if (left < 0) {
        throw new IllegalStateException("frame buffer released twice");
      }
    }

    int refCount() {
      return refs.get();
    }
  }

  /** Remembers the encoding of the latest frame of one camera, so N viewers cost one encoding. */
  public static final class Cache {
    static final int POOL_SIZE = 4;
    private static final int ROUND = 16 * 1024;

    // Guarded by this.
    private Encoded latest;
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>(POOL_SIZE);

    /** The encoding of {@code jpeg}, with one reference for the caller (who must {@link Encoded#release} it). */
    Encoded acquire(JpegFrame jpeg) {
      synchronized (this) {
        if (latest == null || latest.frame != jpeg) {
          Encoded previous = latest;
          latest = new Encoded(this, jpeg, encodeInto(jpeg, take(headerLength(jpeg.size()) + jpeg.size())));
          if (previous != null) {
            previous.release();
          }
        }
        latest.refs.incrementAndGet();
        return latest;
      }
    }

    // Guarded by this.
    private ByteBuffer take(int length) {
      for (var it = pool.iterator(); it.hasNext(); ) {
        ByteBuffer b = it.next();
        if (b.capacity() >= length) {
          it.remove();
          return b;
        }
      }
      // Room for the frame to grow a little, so a pooled buffer fits the next frames of a similar size.
      int capacity = (length + length / 4 + ROUND - 1) / ROUND * ROUND;
      return ByteBuffer.allocateDirect(capacity);
    }

    private void recycle(ByteBuffer b) {
      synchronized (this) {
        if (pool.size() >= POOL_SIZE) {
          pool.pollFirst(); // the oldest goes to the garbage collector, which frees its native memory
        }
        pool.addLast(b);
      }
    }

    /** Buffers waiting in the pool (for tests). */
    synchronized int pooled() {
      return pool.size();
    }
  }
}
