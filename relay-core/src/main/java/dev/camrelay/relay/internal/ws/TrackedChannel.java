package dev.camrelay.relay.internal.ws;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
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
 *   <li>progress timestamps, so a viewer that accepts no bytes can be found and dropped;</li>
 *   <li>a cap on handshake bytes (the library buffers an incomplete handshake without limit);</li>
 *   <li>rejecting a handshake with a proper HTTP status (the library only knows 404 and 500): once
 *       {@link #rejectWith} is set, that response is written and everything the library queues after it is
 *       discarded;</li>
 *   <li>releasing the connection-limit slot exactly once when the channel closes.</li>
 * </ul>
 *
 * <p>Reads and writes happen on the library's selector thread; the callbacks
 * run there too and must not block.
 */
final class TrackedChannel implements WrappedByteChannel {
  /** Told when a buffer handed to the library has been completely written to the socket. */
  interface WriteListener {
    void written(ByteBuffer buffer);
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
  private volatile long lastWriteProgressNanos = acceptedNanos;
  private long handshakeBytes;

  TrackedChannel(ByteChannel inner, SocketChannel socket, SelectionKey key, InetAddress ip, String remote,
      Runnable onClose) {
    this.inner = inner;
    this.socket = socket;
    this.key = key;
    this.ip = ip;
    this.remote = remote;
    this.onClose = onClose;
  }

  WebSocketImpl connection() {
    return (WebSocketImpl) key.attachment();
  }

  InetAddress ip() {
    return ip;
  }

  String remote() {
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

  void setWriteListener(WriteListener listener) {
    this.writeListener = listener;
  }

  /** Answers the handshake with {@code response} instead of whatever the library queues. */
  void rejectWith(ByteBuffer response) {
    this.rejection = response;
  }

  long lastWriteProgressNanos() {
    return lastWriteProgressNanos;
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
    if (failedHandshake && !src.hasRemaining() && !isNeedWrite()) {
      // The library's own 404/500 page for a request it could not upgrade: end the response, as above.
      socket.shutdownOutput();
    }
    if (n > 0 || !src.hasRemaining()) {
      lastWriteProgressNanos = System.nanoTime();
    }
    if (!src.hasRemaining()) {
      WriteListener l = writeListener;
      if (l != null) {
        l.written(src);
      }
    }
    return n;
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
    return inner instanceof WrappedByteChannel w && w.isNeedWrite();
  }

  @Override
  public void writeMore() throws IOException {
    if (inner instanceof WrappedByteChannel w) {
      w.writeMore();
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
