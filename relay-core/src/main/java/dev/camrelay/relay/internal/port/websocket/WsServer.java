package dev.camrelay.relay.internal.port.websocket;

import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.PortBindException;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.output.websocket.WsViewer;
import dev.camrelay.relay.internal.output.websocket.WsViewers;
import dev.camrelay.relay.internal.past.Past;
import dev.camrelay.relay.internal.port.BindFailures;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.source.websocket.WsIngestSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket port: viewers at {@code /} (default camera) and {@code /cam/{id}}, camera ingest at
 * {@code /ingest/{id}}. Built on Java-WebSocket, with the relay's own delivery ({@link WsViewer}), handshake
 * rejection with real HTTP statuses (401 bad token, 403 a token for other cameras, 429 too many wrong tokens, 404
 * unknown path, 400 bad camera id, 503 too many cameras), connection limits, a handshake deadline and TLS. A viewer
 * that came with a share link is closed (1008 "share link expired") when the link expires.
 */
public final class WsServer extends WebSocketServer {
  private static final Logger log = LoggerFactory.getLogger(WsServer.class);
  private static final int MAX_QUEUED_PONGS = 16;

  private final RelayConfig config;
  private final CameraHub hub;
  private final Past past;
  private final HandshakeRouter router;
  private final ConnectionLimiter limiter;
  private final ScheduledExecutorService timer;
  private final LogLimiter logLimiter = new LogLimiter(log, 10_000);
  private final Set<TrackedChannel> channels = ConcurrentHashMap.newKeySet();
  private final WsViewers viewers;
  private final CountDownLatch started = new CountDownLatch(1);
  private final ExecutorService tlsExecutor;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  /** Share-link viewers: the close at the link's expiry, cancelled when the viewer leaves first. */
  private final Map<WebSocket, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
  private volatile Exception fatal;


  private WsServer(ServerSocketChannel bound, RelayConfig config, CameraHub hub, Authenticator auth,
      ConnectionLimiter limiter, ScheduledExecutorService timer, SSLContext tls, Past past) {
    super(bound);
    this.past = past;
    this.config = config;
    this.hub = hub;
    this.router = new HandshakeRouter(config.defaultCameraId(), auth, logLimiter, config.seedCompatibility());
    this.viewers = new WsViewers(config.controlMessagesPerSecond());
    this.limiter = limiter;
    this.timer = timer;
    this.tlsExecutor = tls == null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "camrelay-ws-tls");
      t.setDaemon(true);
      return t;
    });
    setDaemon(true);
    setTcpNoDelay(true);
    // Java-WebSocket turns SO_REUSEADDR off by default; without it a restarted relay cannot rebind the port
    // for a minute after it closed a connection itself (TIME_WAIT).
    setReuseAddr(true);
    setConnectionLostTimeout(30);
    setWebSocketFactory(new ChannelFactory(
        RelayDraft.both(config.maxFrameBytes(), config.maxControlBytes(), config.seedCompatibility()), tls,
        tlsExecutor, config.viewerSendBufferBytes(), this::accepted));
  }

  /**
   * Binds the WebSocket port and starts serving.
   *
   * @throws PortBindException naming the port when it cannot be bound
   */
  public static WsServer start(RelayConfig config, CameraHub hub, Authenticator auth, ConnectionLimiter limiter,
      ScheduledExecutorService timer, SSLContext tls, Past past) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(config.bindHost(), config.wsPort()), 256);
    } catch (IOException e) {
      channel.close();
      throw BindFailures.of(PortBindException.Setting.WS_PORT, "WebSocket", config.bindHost(), config.wsPort(), e);
    }
    WsServer server = new WsServer(channel, config, hub, auth, limiter, timer, tls, past);
    server.start();
    try {
      if (!server.started.await(5, TimeUnit.SECONDS) || server.fatal != null) {
        server.shutdown();
        throw new IOException("WebSocket server on port " + server.getPort() + " did not start"
            + (server.fatal != null ? ": " + server.fatal.getMessage() : ""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdown();
      throw new IOException("interrupted while starting the WebSocket server");
    }
    server.schedule();
    return server;
  }

  private void schedule() {
    long sweepMs = Math.max(50, Math.min(1000, config.viewerStallTimeout().toMillis() / 4));
    tasks.add(timer.scheduleWithFixedDelay(viewers::repairWriteDemand, sweepMs, sweepMs, TimeUnit.MILLISECONDS));
    long handshakeNanos = config.handshakeTimeout().toNanos();
    long hsMs = Math.max(50, Math.min(1000, config.handshakeTimeout().toMillis() / 4));
    tasks.add(timer.scheduleWithFixedDelay(() -> sweepHandshakes(handshakeNanos), hsMs, hsMs,
        TimeUnit.MILLISECONDS));
    tasks.add(timer.scheduleWithFixedDelay(viewers::sendStatuses, 2, 2, TimeUnit.SECONDS));
  }

  private TrackedChannel accepted(java.nio.channels.ByteChannel wrapped, java.nio.channels.SocketChannel socket,
      java.nio.channels.SelectionKey key, java.net.InetAddress ip, String remote) throws IOException {
    String refusal = limiter.tryAcquire(ip);
    if (refusal != null) {
      logLimiter.warn("ws-limit", "refused WebSocket connection from " + remote + ": " + refusal);
      throw new IOException(refusal);
    }
    TrackedChannel[] self = new TrackedChannel[1];
    TrackedChannel ch = new TrackedChannel(wrapped, socket, key, ip, remote, () -> {
      limiter.release(ip);
      channels.remove(self[0]);
    });
    self[0] = ch;
    channels.add(ch);
    return ch;
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
      ClientHandshake request) throws InvalidDataException {
    TrackedChannel ch = channelOf(conn);
    String chosen = draft instanceof Draft_6455 d && d.getProtocol() != null ? d.getProtocol().getProvidedProtocol()
        : "";
    try {
      conn.setAttachment(router.route(request.getResourceDescriptor(), request.getFieldValue("Sec-WebSocket-Protocol"),
          chosen, request.getFieldValue("Authorization"), ch.remote(), ch.ip()));
    } catch (HandshakeRouter.Refusal r) {
      throw reject(ch, r.status, r.phrase, r.getMessage(), r.retryAfterSeconds);
    }
    // Accepted: the upgrade follows at once, so the handshake deadline no longer applies (a refused connection
    // keeps it, and is closed at the deadline if the client does not go away).
    ch.clearDeadline();
    return new HandshakeImpl1Server();
  }

  private static InvalidDataException reject(TrackedChannel ch, int status, String phrase, String message,
      long retryAfterSeconds) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + phrase + "\r\n"
        + (status == 401 ? "WWW-Authenticate: Bearer\r\n" : "")
        + (retryAfterSeconds > 0 ? "Retry-After: " + retryAfterSeconds + "\r\n" : "")
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n";
    ByteBuffer response = ByteBuffer.allocate(head.length() + body.length);
    response.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
    ch.rejectWith(response);
    return new InvalidDataException(CloseFrame.POLICY_VALIDATION, status + " " + message);
  }

  private static TrackedChannel channelOf(WebSocket conn) {
    return (TrackedChannel) ((WebSocketImpl) conn).getChannel();
  }

  @Override
  public void onOpen(WebSocket ws, ClientHandshake handshake) {
    WebSocketImpl conn = (WebSocketImpl) ws;
    TrackedChannel ch = channelOf(conn);
    ch.markOpened();
    Object attachment = conn.getAttachment();
    if (ch.isClosed()) {
      return;
    }
    if (!(attachment instanceof HandshakeRouter.Route route)) {
      conn.close(CloseFrame.GOING_AWAY, "relay shutting down");
      return;
    }
    try {
      if (route.ingest()) {
        WsIngestSession session = new WsIngestSession(conn, ch.remote(), route.cameraId(), route.onDemand(),
            route.verified(), route.seed(), logLimiter);
        conn.setAttachment(session);
        session.start(hub);
        if (ch.isClosed()) {
          // Closed on the selector thread while this ran, possibly before onClose could see the session.
          session.onClosed(CloseFrame.ABNORMAL_CLOSE, "closed while opening");
        }
      } else if (route.replay() != null) {
        conn.setAttachment(past.replay(conn, route.cameraId(), route.v1(), route.replay()));
        if (route.expiresAt() != null) {
          closeAtExpiry(conn, ch, route.expiresAt());
        }
        log.debug("viewer {} replaying camera '{}'", ch.remote(), route.cameraId());
      } else {
        WsViewer viewer = viewers.add(this, conn, ch, route.cameraId(), route.v1(), route.control(), route.seed());
        conn.setAttachment(viewer);
        try {
          viewer.start(hub);
        } catch (RuntimeException e) {
          viewers.remove(viewer);
          throw e;
        }
        if (ch.isClosed()) {
          // Closed on the selector thread while this ran, possibly before onClose could see the viewer; both
          // ends are idempotent, so whichever runs second does nothing.
          viewers.remove(viewer);
          viewer.onClosed(CloseFrame.ABNORMAL_CLOSE, "closed while opening");
        }
        if (route.expiresAt() != null) {
          closeAtExpiry(conn, ch, route.expiresAt());
        }
        log.debug("viewer {} opened camera '{}' ({})", ch.remote(), route.cameraId(),
            route.v1() ? "camrelay.v1" : route.seed() ? "seed monitor" : "plain");
      }
    } catch (IllegalStateException e) {
      // Too many cameras.
      logLimiter.warn("ws-cameras", "refused WebSocket " + (route.ingest() ? "camera" : "viewer") + " from "
          + ch.remote() + ": " + e.getMessage());
      conn.close(CloseFrame.TRY_AGAIN_LATER, e.getMessage());
    }
  }

  private void closeAtExpiry(WebSocket conn, TrackedChannel ch, Instant expiresAt) {
    long delayMs = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
    expiries.put(conn, timer.schedule(() -> {
      expiries.remove(conn);
      conn.close(CloseFrame.POLICY_VALIDATION, "share link expired");
    }, delayMs, TimeUnit.MILLISECONDS));
    if (ch.isClosed()) {
      cancelExpiry(conn); // onClose may have run before the put
    }
  }

  private void cancelExpiry(WebSocket conn) {
    ScheduledFuture<?> expiry = expiries.remove(conn);
    if (expiry != null) {
      expiry.cancel(false);
    }
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    cancelExpiry(conn);
    Object a = conn.getAttachment();
    if (a instanceof WsEndpoint endpoint) {
      endpoint.onClosed(code, reason);
      if (a instanceof WsViewer v) {
        viewers.remove(v);
      }
    }
  }

  /**
   * Answers a peer's ping only while it reads what the relay sends: the library would queue a pong for every ping
   * of a peer that floods pings without reading, in memory and without bound.
   */
  @Override
  public void onWebsocketPing(WebSocket conn, Framedata f) {
    if (((WebSocketImpl) conn).outQueue.size() < MAX_QUEUED_PONGS) {
      super.onWebsocketPing(conn, f);
    }
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    if (conn.getAttachment() instanceof WsEndpoint endpoint) {
      try {
        endpoint.onText(message);
      } catch (StackOverflowError e) {
        // Java-WebSocket shuts the whole port down on an Error in its worker: one client's message must only ever
        // cost that client its connection (UntrustedJson keeps nesting shallow; this is the last line).
        conn.close(CloseFrame.POLICY_VALIDATION, "message nested too deeply");
      }
    }
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    if (conn.getAttachment() instanceof WsEndpoint endpoint) {
      endpoint.onBinary(message);
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    if (conn == null) {
      fatal = ex;
      log.error("WebSocket server failed: {}", ex.toString());
      started.countDown();
    } else {
      log.debug("WebSocket connection {} error: {}", conn.getRemoteSocketAddress(), ex.toString());
    }
  }

  @Override
  public void onStart() {
    started.countDown();
  }

  private void sweepHandshakes(long handshakeNanos) {
    long now = System.nanoTime();
    for (TrackedChannel ch : channels) {
      if (!ch.opened() && ch.pastDeadline(now, handshakeNanos)) {
        logLimiter.info("ws-handshake-timeout", "closing WebSocket connection from " + ch.remote()
            + ": no complete handshake within " + config.handshakeTimeout().toMillis() + " ms");
        WebSocketImpl conn = ch.connection();
        if (conn != null) {
          conn.closeConnection(CloseFrame.NEVER_CONNECTED, "handshake timeout");
        }
        closeQuietly(ch);
      }
    }
  }

  /** The viewers attached right now (for tests and metrics). */
  public List<WsViewers.ViewerState> viewerStates() {
    return viewers.states();
  }

  /**
   * Closes every connection (viewers with 1001, cameras are closed by the hub before), unbinds the port and waits
   * for the library's threads to end, forcing sockets that do not drain.
   */
  public void shutdown() {
    for (ScheduledFuture<?> t : tasks) {
      t.cancel(false);
    }
    for (WebSocket c : getConnections()) {
      c.close(CloseFrame.GOING_AWAY, "relay shutting down");
    }
    // Give clean closes a moment, then drop whatever did not drain (stuck viewers, half-done handshakes).
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    while (!channels.isEmpty() && System.nanoTime() < deadline) {
      sleep(10);
    }
    for (TrackedChannel ch : channels) {
      WebSocketImpl conn = ch.connection();
      if (conn != null) {
        conn.closeConnection(CloseFrame.GOING_AWAY, "relay shutting down");
        conn.outQueue.clear();
      }
      closeQuietly(ch);
    }
    try {
      stop(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Thread worker : decoders) {
      try {
        worker.join(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (tlsExecutor != null) {
      tlsExecutor.shutdownNow();
      try {
        tlsExecutor.awaitTermination(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(TrackedChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Already gone.
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
