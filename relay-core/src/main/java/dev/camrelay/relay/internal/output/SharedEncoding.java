package dev.camrelay.relay.internal.output;

import dev.camrelay.frame.jpeg.JpegFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The wire bytes of one camera's recent frames in one {@link FrameEncoding}, shared by all of its viewers of that
 * protocol: each frame is encoded once, into one direct buffer, and every viewer writes from it (no copy per viewer;
 * a heap buffer would make the JDK or Netty copy it to native memory for every socket write).
 *
 * <pre>
 * one pooled direct buffer per frame ({@link Encoded}), written by every viewer:
 * +------------------------+---------------------------+-------------------+
 * | encoding's header      | the JPEG, byte for byte   | encoding's trailer|
 * +------------------------+---------------------------+-------------------+
 * </pre>
 *
 * <p>The encodings of the two frames asked for last are kept, found by identity, so viewers sending the newest
 * frame and a viewer one frame behind share buffers. A buffer goes back to the pool when the last viewer writing it
 * let go. Finding a kept frame takes no lock and allocates nothing ({@link #acquire}: the fan-out asks once per
 * viewer and frame, from several threads at once); only encoding a new frame locks. Thread-safe.
 */
public final class SharedEncoding {
  private final FrameEncoding encoding;
  private final ByteBufAllocator allocator;
  private volatile Encoded newest;
  private volatile Encoded previous;
  // Guarded by this.
  private boolean released;

  public SharedEncoding(FrameEncoding encoding, ByteBufAllocator allocator) {
    this.encoding = encoding;
    this.allocator = allocator;
  }

  /**
   * One frame's encoding, counted by its users: the encoding keeps one count while the frame is among the two kept,
   * every {@link #acquire} adds one, and the pooled buffer is freed when the count reaches zero.
   */
  public static final class Encoded {
    private static final VarHandle USERS;

    static {
      try {
        USERS = MethodHandles.lookup().findVarHandle(Encoded.class, "users", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final JpegFrame frame;
    final ByteBuf buf;
    /** The whole encoding; never read or moved itself, only duplicated. */
    private final ByteBuffer bytes;
    @SuppressWarnings("unused") // through USERS
    private volatile int users = 1;

    Encoded(JpegFrame frame, ByteBuf buf) {
      this.frame = frame;
      this.buf = buf;
      this.bytes = buf.nioBuffer(buf.readerIndex(), buf.readableBytes());
    }

    /** A buffer of the whole encoding with its own position (one small object, no copy); valid until released. */
    public ByteBuffer view() {
      return bytes.duplicate();
    }

    /** Lets go of one count; the last one frees the buffer. */
    public void release() {
      if ((int) USERS.getAndAdd(this, -1) == 1) {
        buf.release();
      }
    }

    /** Adds a count unless the buffer is freed already. */
    boolean tryRetain() {
      // compareAndSet, not compareAndExchange: only the former is a compiler intrinsic on the quick (C1) compiler
      for (int n = users; n > 0; n = users) {
        if (USERS.compareAndSet(this, n, n + 1)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The encoding of {@code frame}; the caller holds one count and must {@link Encoded#release} it. */
  public Encoded acquire(JpegFrame frame) {
    Encoded e = newest;
    if (e != null && e.frame == frame && e.tryRetain()) {
      return e;
    }
    e = previous;
    if (e != null && e.frame == frame && e.tryRetain()) {
      return e;
    }
    return acquireLocked(frame);
  }

  private synchronized Encoded acquireLocked(JpegFrame frame) {
    Encoded n = newest;
    if (n != null && n.frame == frame && n.tryRetain()) {
      return n;
    }
    Encoded p = previous;
    if (p != null && p.frame == frame && p.tryRetain()) {
      return p;
    }
    Encoded encoded = new Encoded(frame, encode(frame));
    if (released) {
      return encoded; // the caller's count is the only one
    }
    encoded.tryRetain(); // the caller's, besides the one this encoding keeps
    previous = n;
    newest = encoded;
    if (p != null) {
      p.release();
    }
    return encoded;
  }

  /** A buffer holding the whole encoded frame, for Netty writes; the caller owns one reference and must release it. */
  public ByteBuf retained(JpegFrame frame) {
    Encoded e = acquire(frame);
    try {
      return e.buf.retainedDuplicate();
    } finally {
      e.release();
    }
  }

  private ByteBuf encode(JpegFrame frame) {
    int n = frame.size();
    int header = encoding.headerLength(n);
    ByteBuf out = allocator.directBuffer(header + n + encoding.trailerLength());
    encoding.writeHeader(out, n);
    out.writeBytes(frame.asByteBuffer());
    encoding.writeTrailer(out);
    return out;
  }

  /** Drops the kept encodings (writes in flight keep theirs until they release them); later calls keep none. */
  public synchronized void release() {
    released = true;
    Encoded n = newest;
    Encoded p = previous;
    newest = previous = null;
    if (n != null) {
      n.release();
    }
    if (p != null) {
      p.release();
    }
  }
}
