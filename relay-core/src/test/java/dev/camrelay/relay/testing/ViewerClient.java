package dev.camrelay.relay.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/** A WebSocket viewer (Java-WebSocket client) that records every message it gets. */
public final class ViewerClient extends WebSocketClient {
  public final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  public volatile int closeCode = -2;
  public volatile String closeReason;
  public volatile int handshakeStatus;
  private volatile String selectedProtocol;

  private ViewerClient(URI uri, List<String> protocols, Map<String, String> headers) {
    super(uri, draft(protocols), headers, 5000);
  }

  private static Draft_6455 draft(List<String> protocols) {
    List<IProtocol> list = new ArrayList<>();
    for (String p : protocols) {
      list.add(new Protocol(p));
    }
    list.add(new Protocol(""));
    return new Draft_6455(List.<IExtension>of(), list);
  }

  /** Connects and waits for the handshake; returns the client even when refused (check {@link #isOpen()}). */
  public static ViewerClient connect(String url, String... protocols) throws InterruptedException {
    return connect(url, Map.of(), protocols);
  }

  public static ViewerClient connect(String url, Map<String, String> headers, String... protocols)
      throws InterruptedException {
    ViewerClient c = new ViewerClient(URI.create(url), List.of(protocols), headers);
    c.setConnectionLostTimeout(0);
    c.connectBlocking(10, TimeUnit.SECONDS);
    return c;
  }

  /** Connects over TLS ({@code wss://}) trusting what {@code tls} trusts, and waits for the handshake. */
  public static ViewerClient connect(String url, javax.net.ssl.SSLContext tls) throws InterruptedException {
    ViewerClient c = new ViewerClient(URI.create(url), List.of(), Map.of());
    c.setConnectionLostTimeout(0);
    c.setSocketFactory(tls.getSocketFactory());
    c.connectBlocking(10, TimeUnit.SECONDS);
    return c;
  }

  public byte[] nextFrame() throws InterruptedException {
    byte[] f = frames.poll(10, TimeUnit.SECONDS);
    if (f == null) {
      throw new AssertionError("no frame within 10 s");
    }
    return f;
  }

  public String nextText() throws InterruptedException {
    String t = texts.poll(10, TimeUnit.SECONDS);
    if (t == null) {
      throw new AssertionError("no text message within 10 s");
    }
    return t;
  }

  /** The next text message containing {@code fragment}, skipping others (e.g. periodic status). */
  public String nextTextContaining(String fragment) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String t = texts.poll(100, TimeUnit.MILLISECONDS);
      if (t != null && t.contains(fragment)) {
        return t;
      }
    }
    throw new AssertionError("no text containing " + fragment + " within 10 s");
  }

  public String selectedProtocol() {
    return selectedProtocol;
  }

  public boolean waitClosed() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closeCode == -2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return closeCode != -2;
  }

  @Override
  public void onOpen(ServerHandshake handshake) {
    handshakeStatus = handshake.getHttpStatus();
    selectedProtocol = handshake.getFieldValue("Sec-WebSocket-Protocol");
  }

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
    closeReason = reason;
    closeCode = code;
  }

  @Override
  public void onError(Exception ex) {}
}
