package dev.camrelay.relay.internal.port.websocket;

import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.port.ViewerSendBuffer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.java_websocket.SSLSocketChannel2;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * Creates the library's per-connection objects with the relay's drafts, and wraps every accepted socket in a
 * {@link TrackedChannel} (after TLS, when enabled). Refuses connections over the connection limits by throwing,
 * which makes the library close the socket.
 */
final class ChannelFactory implements WebSocketServerFactory {
  interface Acceptor {
    /** Returns a wrapped channel, or throws to refuse the connection. */
    TrackedChannel accept(ByteChannel wrapped, SocketChannel socket, SelectionKey key, InetAddress ip, String remote)
        throws IOException;
  }

  private final List<Draft> drafts;
  private final SSLContext tls;
  private final ExecutorService tlsExecutor;
  /** The most a viewer's kernel send buffer may grow to ({@link ViewerSendBuffer}). */
  private final int sendBufferCap;
  private final Acceptor acceptor;

  ChannelFactory(List<Draft> drafts, SSLContext tls, ExecutorService tlsExecutor, int sendBufferCap,
      Acceptor acceptor) {
    this.drafts = drafts;
    this.tls = tls;
    this.tlsExecutor = tlsExecutor;
    this.sendBufferCap = sendBufferCap;
    this.acceptor = acceptor;
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
    return new WebSocketImpl(a, drafts);
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> ignored) {
    return new WebSocketImpl(a, drafts);
  }

  @Override
  public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
    // The kernel send buffer starts small and follows the viewer's rate: a slow viewer has little queued, so the
    // relay, not the kernel, decides which frame it gets next; a fast or long link gets room for its frames.
    // Over TLS the library's channel takes one TLS record of a frame per write whatever the socket's state, so a
    // write that leaves bytes says nothing about the socket: those viewers keep the starting size.
    int cap = tls == null ? sendBufferCap : ViewerSendBuffer.initialSize(sendBufferCap);
    ViewerSendBuffer sendBuffer = new ViewerSendBuffer(cap, bytes -> setSendBuffer(channel, bytes));
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
    String remote = Addresses.of(peer);
    ByteChannel wrapped = channel;
    if (tls != null) {
      SSLEngine engine = tls.createSSLEngine();
      engine.setUseClientMode(false);
      // Same exclusion as the library's DefaultSSLWebSocketServerFactory (works around an SSLSocketChannel2 issue).
      engine.setEnabledCipherSuites(java.util.Arrays.stream(engine.getEnabledCipherSuites())
          .filter(c -> !c.equals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
          .toArray(String[]::new));
      wrapped = new SSLSocketChannel2(channel, engine, tlsExecutor, key);
    }
    TrackedChannel tracked = acceptor.accept(wrapped, channel, key, peer.getAddress(), remote);
    tracked.sizeSendBuffer(sendBuffer);
    return tracked;
  }

  private static void setSendBuffer(SocketChannel channel, int bytes) {
    try {
      channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
    } catch (IOException e) {
      // Closed meanwhile (nothing else makes it fail): the next write fails and the library closes the connection.
    }
  }

  @Override
  public void close() {
    // The TLS executor belongs to the server, which shuts it down and waits for it.
  }
}
