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
    private final ViewSlot[] slots = new ViewSlot[VIEW_SLOTS];

    Encoded(JpegFrame frame, ByteBuf buf) {
      this.frame = frame;
      this.buf = buf;
      this.bytes = buf.nioBuffer(buf.readerIndex(), buf.readableBytes());
      for (int i = 0; i < slots.length; i++) {
        slots[i] = new ViewSlot();
      }
    }

    /** A buffer of the whole encoding with its own position (one small object, no copy); valid until released. */
    public ByteBuffer view() {
      return bytes.duplicate();
    }

    /**
     * As {@link #view}, but reusing a view this thread {@link #giveBack gave back} for this frame when there is one:
     * a fan-out thread writing one frame to hundreds of viewers then makes one view, not one per viewer. Each of the
     * first few threads to ask claims a slot of its own, so no two threads share one and no atomic operation is needed
     * after the claim.
     */
    public ByteBuffer borrowView() {
      ViewSlot slot = slotOf(Thread.currentThread(), true);
      if (slot != null) {
        ByteBuffer spare = slot.spare;
        if (spare != null) {
          slot.spare = null;
          return spare;
        }
      }
      return bytes.duplicate();
    }

    /**
     * Returns a view from {@link #borrowView} that was written completely, for this thread's next viewer. The caller
     * must keep no reference to it (nothing else may read it: it is rewound for the next one).
     */
    public void giveBack(ByteBuffer view) {
      ViewSlot slot = slotOf(Thread.currentThread(), false);
      if (slot != null && slot.spare == null) {
        view.rewind();
        slot.spare = view;
      }
    }

    private ViewSlot slotOf(Thread thread, boolean claim) {
      for (ViewSlot slot : slots) {
        Thread owner = slot.owner;
        if (owner == thread) {
          return slot;
        }
        if (owner == null && claim && ViewSlot.OWNER.compareAndSet(slot, null, thread)) {
          return slot;
        }
      }
      return null;
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

  /** Threads that may keep a spare view of a frame: the fan-out threads of a few cores (others make new views). */
  private static final int VIEW_SLOTS = Math.min(8, Runtime.getRuntime().availableProcessors() + 1);

  /** One thread's spare view of one frame. The padding keeps the slots of different threads on different cache lines. */
  @SuppressWarnings("unused")
  private static final class ViewSlot {
    static final VarHandle OWNER;

    static {
      try {
        OWNER = MethodHandles.lookup().findVarHandle(ViewSlot.class, "owner", Thread.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private long p1, p2, p3, p4, p5, p6, p7, p8;
    /** Claimed once, by compare-and-set. */
    volatile Thread owner;
    /** Read and written by the owner only. */
    ByteBuffer spare;
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
