package dev.camrelay.cli;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.Protocol;

/**
 * A WebSocket viewer for tests, built on Java-WebSocket's client (independent of the CLI's Netty client), that
 * queues every binary message.
 */
public final class TestViewer extends WebSocketClient implements AutoCloseable {
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile String closeReason;

  public TestViewer(URI uri) {
    super(uri, Map.of());
  }

  private TestViewer(URI uri, String subprotocol) {
    // The handshake fails unless the relay selects the subprotocol, as with browsers and Node's ws.
    super(uri, new Draft_6455(List.of(), List.of(new Protocol(subprotocol))));
  }

  /** Connects to ws://127.0.0.1:port + path and waits for the handshake. */
  public static TestViewer open(int port, String path) throws InterruptedException {
    return connect(new TestViewer(URI.create("ws://127.0.0.1:" + port + path)));
  }

  /** Connects to ws://127.0.0.1:port + path offering one subprotocol, and waits for the handshake. */
  public static TestViewer open(int port, String path, String subprotocol) throws InterruptedException {
    return connect(new TestViewer(URI.create("ws://127.0.0.1:" + port + path), subprotocol));
  }

  private static TestViewer connect(TestViewer v) throws InterruptedException {
    if (!v.connectBlocking(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("viewer could not connect: " + v.closeReason);
    }
    return v;
  }

  /** The next frame, waiting up to 30 s; fails the test when none comes. */
  public byte[] nextFrame() throws InterruptedException {
    byte[] f = frames.poll(30, TimeUnit.SECONDS);
    if (f == null) {
      throw new AssertionError("no frame within 30 s" + (closeReason != null ? " (closed: " + closeReason + ")" : ""));
    }
    return f;
  }

  /** Forgets the frames received so far, so {@link #nextFrame()} waits for one that comes after this call. */
  public void clearFrames() {
    frames.clear();
  }

  /** Every text message received so far (the camrelay.v1 status lines), oldest first. */
  public List<String> texts() {
    return List.copyOf(texts);
  }

  /** Starts the closing handshake (does not wait). */
  @Override
  public void close() {
    super.close();
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  @Override
  public void onMessage(String message) {
    texts.add(message);
  }

  @Override
  public void onMessage(ByteBuffer bytes) {
    byte[] b = new byte[bytes.remaining()];
    bytes.get(b);
    frames.add(b);
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    closeReason = code + " " + reason;
  }

  @Override
  public void onError(Exception ex) {
    closeReason = String.valueOf(ex);
  }
}
