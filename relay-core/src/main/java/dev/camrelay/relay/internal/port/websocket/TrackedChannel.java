package dev.camrelay.relay.internal.port.websocket;

import dev.camrelay.relay.internal.port.ViewerSendBuffer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WrappedByteChannel;

/**
 * Wraps each accepted WebSocket channel (plain or TLS) to give the relay what Java-WebSocket does not:
 *
 * <ul>
 *   <li>a callback when a queued buffer has been fully written ({@link WriteListener}), which drives per-viewer
 *       delivery without ever growing the library's unbounded {@code outQueue} beyond one frame;</li>
 *   <li>writing a frame right away from the calling thread ({@link #tryWriteNow}) when nothing else waits to be
 *       written: one {@code write(2)} per viewer and frame, instead of a selector wake-up, two {@code epoll_ctl}
 *       calls and a hand-over to the selector thread (the relay's main cost with hundreds of viewers);</li>
 *   <li>progress timestamps, so a viewer that accepts no bytes can be found and dropped;</li>
 *   <li>every socket write reported to the viewer's {@link ViewerSendBuffer}, which sizes the kernel send buffer
 *       to the rate the viewer takes bytes at;</li>
 *   <li>a cap on handshake bytes (the library buffers an incomplete handshake without limit);</li>
 *   <li>rejecting a handshake with a proper HTTP status (the library only knows 404 and 500): once
 *       {@link #rejectWith} is set, that response is written and everything the library queues after it is
 *       discarded;</li>
 *   <li>releasing the connection-limit slot exactly once when the channel closes.</li>
 * </ul>
 *
 * <p>Reads happen on the library's selector thread, writes there or, through {@link #tryWriteNow}, on the thread
 * that publishes a frame; all writes are serialised by the channel's own monitor (not a separate lock object: one
 * object less to load per viewer and frame), and a partly written frame ({@link #pending}) always
 * goes out before anything the library queued after it. The callbacks run after that lock is released and must not
 * block.
 */
public final class TrackedChannel implements WrappedByteChannel {
  /** Told when a buffer handed to the library has been completely written to the socket. */
  public interface WriteListener {
    void written(ByteBuffer buffer);

    /**
     * Some bytes were accepted by the socket (any buffer; not told for a frame {@link #tryWriteNow} wrote completely,
     * which is done): the viewer is reading. Must be cheap.
     */
    default void progressed() {}
  }

  /** What {@link #tryWriteNow} did with a buffer. */
  public enum Direct {
    /** Written completely; the write listener is not told. */
    WRITTEN,
    /** Partly written; the selector writes the rest (ask it with onWriteDemand) and then tells the listener. */
    PENDING,
    /** Not touched: something else is being written; queue it with the library. */
    QUEUE
  }

  static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

  private final ByteChannel inner;
  private final SocketChannel socket;
  private final SelectionKey key;
  private final InetAddress ip;
  private final String remote;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  final long acceptedNanos = System.nanoTime();
  private volatile boolean opened;
  private volatile boolean deadlineCleared;
  private volatile WriteListener writeListener;
  private volatile ByteBuffer rejection;
  private long handshakeBytes;
  private final boolean plain;
  /** The rest of a frame {@link #tryWriteNow} could not finish; goes out before anything else. Guarded by this. */
  private ByteBuffer pending;
  /** Set (under this) once the relay stops writing to this channel; buffers are no longer read after that. */
  private boolean writesClosed;
  /** The selector thread while it finishes {@link #pending} in {@link #writeMore}. */
  private volatile Thread finishingPending;
  /** Told of every write; guarded by this (null until set, and in tests). */
  private ViewerSendBuffer sendBuffer;
  /**
   * Whether the last write told to the sizer left the socket full. Guarded by this. Mirrors the sizer's own
   * state so that a write of a viewer that keeps up (all taken, socket not full before) does not touch the sizer:
   * at 30 fps with hundreds of viewers every object touched per viewer is a cache miss.
   */
  private boolean lastWriteFull;

  TrackedChannel(ByteChannel inner, SocketChannel socket, SelectionKey key, InetAddress ip, String remote,
      Runnable onClose) {
    this.inner = inner;
    this.socket = socket;
    this.key = key;
    this.ip = ip;
    this.remote = remote;
    this.onClose = onClose;
    this.plain = inner == socket;
  }

  WebSocketImpl connection() {
    return (WebSocketImpl) key.attachment();
  }

  InetAddress ip() {
    return ip;
  }

  public String remote() {
    return remote;
  }

  void markOpened() {
    opened = true;
  }

  boolean opened() {
    return opened;
  }

  /** The handshake was accepted; the upgrade follows without waiting for the client. */
  void clearDeadline() {
    deadlineCleared = true;
  }

  boolean pastDeadline(long nowNanos, long handshakeNanos) {
    return !deadlineCleared && nowNanos - acceptedNanos > handshakeNanos;
  }

  void sizeSendBuffer(ViewerSendBuffer sizer) {
    synchronized (this) {
      this.sendBuffer = sizer;
    }
  }

  public void setWriteListener(WriteListener listener) {
    this.writeListener = listener;
  }

  /** Answers the handshake with {@code response} instead of whatever the library queues. */
  void rejectWith(ByteBuffer response) {
    this.rejection = response;
  }

  private void progressed() {
    WriteListener l = writeListener;
    if (l != null) {
      l.progressed();
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n = inner.read(dst);
    countHandshake(n);
    return n;
  }

  @Override
  public int readMore(ByteBuffer dst) throws IOException {
    int n = inner instanceof WrappedByteChannel w ? w.readMore(dst) : 0;
    countHandshake(n);
    return n;
  }

  private void countHandshake(int n) throws IOException {
    if (!opened && rejection == null && n > 0) {
      handshakeBytes += n;
      if (handshakeBytes > MAX_HANDSHAKE_BYTES) {
        throw new IOException("WebSocket handshake larger than " + MAX_HANDSHAKE_BYTES + " bytes");
      }
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ByteBuffer finished = null;
    int n;
    synchronized (this) {
      if (writesClosed) {
        throw new ClosedChannelException();
      }
      if (pending != null) {
        if (!flushPending()) {
          return 0; // src must wait behind the rest of our frame
        }
        finished = pending;
        pending = null;
      }
      n = writeLocked(src);
    }
    WriteListener l = writeListener;
    if (l != null) {
      if (finished != null) {
        l.written(finished);
      }
      if (!src.hasRemaining()) {
        l.written(src);
      }
    }
    return n;
  }

  /** Guarded by this. */
  private int writeLocked(ByteBuffer src) throws IOException {
    ByteBuffer reject = rejection;
    if (reject != null) {
      if (reject.hasRemaining()) {
        inner.write(reject);
        if (reject.hasRemaining()) {
          return 0;
        }
        // The library never closes a connection whose handshake failed (it waits for the client); end our side so
        // the client sees the response end, and the library sees EOF once the client closes too.
        if (!isNeedWrite()) {
          socket.shutdownOutput();
        }
      }
      // Whatever the library queued after our response (its own 404 page) is swallowed.
      int n = src.remaining();
      src.position(src.limit());
      return n;
    }
    boolean failedHandshake = !opened && isErrorResponse(src);
    int n = inner.write(src);
    measured(n, src);
    if (failedHandshake && !src.hasRemaining() && !isNeedWrite()) {
      // The library's own 404/500 page for a request it could not upgrade: end the response, as above.
      socket.shutdownOutput();
    }
    if (n > 0 || !src.hasRemaining()) {
      progressed();
    }
    return n;
  }

  /** Guarded by this: tells the send buffer's sizer what a write of {@code src} did. */
  private void measured(int written, ByteBuffer src) {
    boolean full = src.hasRemaining();
    if (!full && !lastWriteFull) {
      return; // the sizer learns nothing from it (ViewerSendBuffer.usesClock)
    }
    lastWriteFull = full;
    if (sendBuffer != null && sendBuffer.usesClock(full)) {
      sendBuffer.wrote(System.nanoTime(), written, full);
    }
  }

  /** Guarded by this: writes what it can of {@link #pending}; true when all of it is written. */
  private boolean flushPending() throws IOException {
    int n = inner.write(pending);
    measured(n, pending);
    if (n > 0) {
      progressed();
    }
    return !pending.hasRemaining();
  }

  /**
   * Writes {@code buf} (a complete frame) from the calling thread if nothing else is waiting to be written on this
   * connection and the selector is not writing it; otherwise leaves it for the caller to queue. Plain (not TLS)
   * connections only. Called by a viewer under its own lock; never blocks.
   *
   * @throws IOException when the connection is broken; the library notices on its next read and closes it
   */
  public Direct tryWriteNow(ByteBuffer buf) throws IOException {
    if (!plain || !opened) {
      return Direct.QUEUE;
    }
    boolean selectorFinishing = finishingPending == Thread.currentThread();
    synchronized (this) {
      if (writesClosed) {
        throw new ClosedChannelException();
      }
      if (pending != null || rejection != null) {
        return Direct.QUEUE;
      }
      // From another thread: only when the selector is not asked to write. It clears OP_WRITE only after a write
      // pass that left nothing half written, so without it no library buffer is partly on the wire; one the library
      // queued but has not asked the selector for yet is whole too, and a complete frame may go before it (WebSocket
      // messages are independent). The library's queue is not looked at: two more objects to load per viewer and
      // frame. From the selector finishing our previous frame: always (no library buffer can be half written then).
      if (!selectorFinishing) {
        try {
          if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            return Direct.QUEUE;
          }
        } catch (CancelledKeyException e) {
          throw new ClosedChannelException();
        }
      }
      int n = socket.write(buf);
      measured(n, buf);
      if (!buf.hasRemaining()) {
        return Direct.WRITTEN; // no progress to report: the caller is done with the frame
      }
      if (n > 0) {
        progressed();
      }
      pending = buf;
      return Direct.PENDING;
    }
  }

  /**
   * Stops all writing to this channel: once this returns, no buffer handed to it is read again (so a frame buffer
   * can be reused), and later writes fail as on a closed channel.
   */
  public void closeWrites() {
    synchronized (this) {
      writesClosed = true;
      pending = null;
    }
  }

  /** True while the selector must still call {@link #writeMore} (or write) to finish a frame. */
  public boolean hasPending() {
    synchronized (this) {
      return pending != null;
    }
  }

  private static boolean isErrorResponse(ByteBuffer src) {
    int p = src.position();
    if (src.remaining() < 12 || src.get(p) != 'H' || src.get(p + 1) != 'T' || src.get(p + 2) != 'T'
        || src.get(p + 3) != 'P') {
      return false;
    }
    return src.get(p + 9) != '1'; // "HTTP/1.1 101" is the upgrade; anything else ends the connection
  }

  @Override
  public boolean isNeedWrite() {
    synchronized (this) {
      if (pending != null) {
        return true;
      }
    }
    return inner instanceof WrappedByteChannel w && w.isNeedWrite();
  }

  @Override
  public void writeMore() throws IOException {
    ByteBuffer finished = null;
    synchronized (this) {
      if (writesClosed) {
        throw new ClosedChannelException();
      }
      if (pending != null) {
        if (!flushPending()) {
          return;
        }
        finished = pending;
        pending = null;
      } else if (inner instanceof WrappedByteChannel w) {
        w.writeMore();
      }
    }
    WriteListener l = writeListener;
    if (finished != null && l != null) {
      // The listener may write its next frame at once (tryWriteNow knows it runs on the selector here); if that is
      // left pending, isNeedWrite() keeps the library asking for OP_WRITE.
      finishingPending = Thread.currentThread();
      try {
        l.written(finished);
      } finally {
        finishingPending = null;
      }
    }
  }

  @Override
  public boolean isNeedRead() {
    return inner instanceof WrappedByteChannel w && w.isNeedRead();
  }

  @Override
  public boolean isBlocking() {
    return inner instanceof WrappedByteChannel w ? w.isBlocking() : socket.isBlocking();
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  @Override
  public void close() throws IOException {
    try {
      inner.close();
    } finally {
      socket.close();
      if (closed.compareAndSet(false, true)) {
        onClose.run();
      }
    }
  }

  boolean isClosed() {
    return closed.get();
  }
}
