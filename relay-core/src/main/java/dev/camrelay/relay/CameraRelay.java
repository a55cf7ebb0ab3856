package dev.camrelay.relay;

import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.hub.Hub;
import dev.camrelay.relay.internal.output.listener.FrameListenerOutput;
import dev.camrelay.relay.internal.port.TlsContexts;
import dev.camrelay.relay.internal.port.http.HttpFrontend;
import dev.camrelay.relay.internal.port.tcp.TcpIngestServer;
import dev.camrelay.relay.internal.port.websocket.WsServer;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.runtime.RelayInfo;
import dev.camrelay.relay.internal.runtime.Version;
import dev.camrelay.relay.internal.source.pull.MjpegPuller;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera relay: cameras push JPEG frames in, viewers get them out, each at its own pace.
 *
 * <pre>
 * camera ──TCP 3008 (raw JPEG | framed v1)──┐
 * camera ──WS 3009 /ingest/{id}─────────────┤               ┌─ WS 3009 /, /cam/{id}  (one binary message = one JPEG)
 * Java publish(cameraId, jpeg) ─────────────┼─► cameras ────┼─ HTTP 3010 /cam/{id}/stream.mjpeg, snapshot.jpg
 * HTTP pull (MJPEG URL) ────────────────────┘               └─ Java onFrame listeners
 * </pre>
 *
 * <p>Build one with {@link #builder()}, {@link #start()} it, {@link #close()} it. Every frame a viewer receives is
 * one complete, structurally valid JPEG exactly as the camera sent it. A viewer that reads slowly gets the newest
 * frame whenever it is ready for one (at most one frame waits per viewer); a viewer that stops reading for the
 * stall timeout is disconnected. Neither ever slows the camera or another viewer.
 *
 * <p>Limits (defaults): frames up to 4 MiB, 2000 connections, 250 per IP address, 1024 cameras, HELLO within 5 s,
 * a silent camera is dropped after 15 s, a stuck viewer after 10 s, control commands up to 8 KiB and 10 per second
 * per viewer, answered within 5 s or failed.
 */
public final class CameraRelay implements CameraHub, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CameraRelay.class);
  private static final int CLOSED = 3;

  private final RelayConfig config;
  private final Authenticator auth;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor listenerExecutor;
  private final Hub hub;
  private final Object lifecycle = new Object();
  private int state; // 0 new, 1 starting, 2 started, 3 closed
  private final ConnectionLimiter limiter;
  private WsServer ws;
  private TcpIngestServer tcp;
  private HttpFrontend http;
  private final List<MjpegPuller> pullers = new ArrayList<>();
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private int tcpPort = -1;
  private int wsPort = -1;
  private int httpPort = -1;

  private CameraRelay(RelayConfig config) {
    this.config = config;
    this.auth = new Authenticator(config);
    this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp());
    this.timer = new ScheduledThreadPoolExecutor(1, threads("camrelay-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.listenerExecutor = new ThreadPoolExecutor(0, 16, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        threads("camrelay-listener"));
    this.hub = new Hub(config, timer, listenerExecutor);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds every enabled port and starts serving; returns once all are bound.
   *
   * @throws java.net.BindException naming the port that could not be bound and the option that sets it, e.g.
   *     {@code TCP ingest port 3008 is already in use (--tcp-port)}; nothing stays bound in that case
   * @throws IllegalStateException if already started or closed
   */
  public void start() throws IOException {
    synchronized (lifecycle) {
      if (state != 0) {
        throw new IllegalStateException(state == CLOSED ? "relay is closed" : "relay already started");
      }
      state = 1;
    }
    try {
      warnIfOpen();
      SSLContext tls = config.tlsEnabled() ? TlsContexts.fromPkcs12(config.tlsPkcs12(), config.tlsPassword()) : null;
      if (config.wsPort() >= 0) {
        ws = WsServer.start(config, hub, auth, limiter, timer, tls);
        wsPort = ws.getPort();
      }
      if (config.httpPort() >= 0) {
        http = new HttpFrontend(config, hub, auth, info(), boss(), workers(), tls, limiter);
        httpPort = http.start();
      }
      if (config.tcpPort() >= 0) {
        tcp = new TcpIngestServer(config, hub, auth, limiter, timer, httpPort, wsPort);
        tcpPort = tcp.start(boss(), workers());
      }
      config.pulls().forEach((id, url) -> {
        MjpegPuller puller = new MjpegPuller(hub, id, url, config, workers());
        pullers.add(puller);
        puller.start();
      });
      if (log.isDebugEnabled()) {
        timer.scheduleWithFixedDelay(this::logStats, 10, 10, TimeUnit.SECONDS);
      }
      synchronized (lifecycle) {
        state = 2;
      }
      log.info("camrelay {} started (tcp {}, ws {}, http {})", Version.get(), tcpPort, wsPort, httpPort);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void logStats() {
    for (CameraStats c : cameras()) {
      log.debug("camera '{}': {} {}x{} {} fps {} kbit/s, {} viewers, {} frames in, {} dropped, last frame {} ms ago",
          c.id(), c.connected() ? c.ingest() : "offline", c.width(), c.height(), c.fps(), c.bitrateKbps(),
          c.viewers(), c.framesIn(), c.framesDropped(), c.lastFrameAgeMs());
    }
  }

  private void warnIfOpen() {
    if (!config.loopbackOnly()) {
      if (!auth.viewerAuthRequired() && config.cameraToken() == null && config.cameraTokens().isEmpty()) {
        log.warn("listening on {} with no tokens: anyone who can reach this machine can watch and publish;"
            + " set a viewer token and a camera token", config.bindHost());
      } else if (!auth.viewerAuthRequired()) {
        log.warn("listening on {} without a viewer token: anyone who can reach this machine can watch",
            config.bindHost());
      } else if (config.cameraToken() == null && config.cameraTokens().isEmpty()) {
        log.warn("listening on {} without a camera token: anyone who can reach this machine can publish",
            config.bindHost());
      }
    }
  }

  /** The bound TCP ingest port, -1 when disabled or not started. */
  public int tcpPort() {
    return tcpPort;
  }

  /** The bound WebSocket port, -1 when disabled or not started. */
  public int wsPort() {
    return wsPort;
  }

  /** The bound HTTP port, -1 when disabled or not started. */
  public int httpPort() {
    return httpPort;
  }

  /**
   * Publishes one JPEG as camera {@code cameraId} (which shows as ingest {@code java} unless another source is
   * attached). The array is validated and then kept: do not modify it afterwards.
   *
   * @throws JpegFormatException if {@code jpeg} is not exactly one complete, structurally valid JPEG
   * @throws IllegalArgumentException if the camera id is not valid
   */
  @Override
  public void publish(String cameraId, byte[] jpeg) throws JpegFormatException {
    Objects.requireNonNull(jpeg, "jpeg");
    hub.publish(cameraId, JpegFrame.parse(jpeg));
  }

  @Override
  public void publish(String cameraId, JpegFrame frame) {
    hub.publish(cameraId, frame);
  }

  /**
   * Calls {@code listener} for every frame of every camera, on a relay thread, in order per camera. It is an output
   * like any other ({@link CameraOutput}): while it is busy with a frame, newer frames replace the one waiting, so a
   * slow listener gets fewer, fresh frames and never delays viewers. While any frame listener is registered,
   * on-demand cameras keep streaming.
   *
   * @return closing it unregisters the listener
   */
  public AutoCloseable onFrame(FrameListener listener) {
    Objects.requireNonNull(listener, "listener");
    return hub.attachOutputs(cameraId -> new FrameListenerOutput(cameraId, listener, listenerExecutor));
  }

  @Override
  public AutoCloseable onCameraEvent(CameraListener listener) {
    return hub.onCameraEvent(listener);
  }

  @Override
  public SourceHandle attachSource(String cameraId, SourceInfo info, CameraSource source) {
    return hub.attachSource(cameraId, info, source);
  }

  @Override
  public OutputHandle attachOutput(String cameraId, CameraOutput output) {
    return hub.attachOutput(cameraId, output);
  }

  @Override
  public AutoCloseable attachOutputs(OutputFactory factory) {
    return hub.attachOutputs(factory);
  }

  @Override
  public Optional<CameraFrame> latestFrame(String cameraId) {
    return hub.latestFrame(cameraId);
  }

  @Override
  public Optional<CameraStats> camera(String cameraId) {
    return hub.camera(cameraId);
  }

  @Override
  public List<CameraStats> cameras() {
    return hub.cameras();
  }

  @Override
  public CompletableFuture<String> control(String cameraId, String json) {
    return hub.control(cameraId, json);
  }

  /** Internal: the hub behind this relay (for in-module integrations and tests). */
  Hub hub() {
    return hub;
  }

  /** Internal: the WebSocket server, null when disabled or not started (for tests). */
  WsServer wsServer() {
    return ws;
  }

  RelayInfo info() {
    return new RelayInfo(Version.get(), wsPort, config.tlsEnabled(), config.tlsEnabled(),
        auth.viewerAuthRequired(), auth.controlRequiresToken());
  }

  @Override
  public String toString() {
    return "CameraRelay[tcp " + tcpPort + ", ws " + wsPort + ", http " + httpPort + ", " + config + "]";
  }

  /**
   * Stops everything: closes every connection (cameras get BYE 9 SHUTTING_DOWN, viewers close code 1001), unbinds
   * every port and ends every relay thread. Returns within about a second. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (state == CLOSED) {
        return;
      }
      state = CLOSED;
    }
    for (MjpegPuller p : pullers) {
      p.close();
    }
    hub.close();
    if (tcp != null) {
      tcp.close();
    }
    if (http != null) {
      http.close();
    }
    if (ws != null) {
      ws.shutdown();
    }
    shutdownGroup(boss);
    shutdownGroup(workers);
    timer.shutdownNow();
    // Let listeners hear the last disconnect events, briefly; a listener that blocks is interrupted.
    listenerExecutor.shutdown();
    try {
      if (!listenerExecutor.awaitTermination(300, TimeUnit.MILLISECONDS)) {
        listenerExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      listenerExecutor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    awaitQuietly(timer);
    awaitQuietly(listenerExecutor);
    tcpPort = -1;
    wsPort = -1;
    httpPort = -1;
    log.info("camrelay stopped");
  }

  private EventLoopGroup boss() {
    if (boss == null) {
      boss = new NioEventLoopGroup(1, new DefaultThreadFactory("camrelay-accept", true));
    }
    return boss;
  }

  private EventLoopGroup workers() {
    if (workers == null) {
      workers = new NioEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()),
          new DefaultThreadFactory("camrelay-io", true));
    }
    return workers;
  }

  private static void shutdownGroup(EventLoopGroup group) {
    if (group != null) {
      group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Configures a {@link CameraRelay}. Defaults: bind {@code 0.0.0.0}, TCP ingest 3008, WebSocket 3009, HTTP 3010
   * (0 = any free port, -1 = disabled), default camera id {@code default}, no tokens. Every setter checks its value
   * and throws {@link IllegalArgumentException} naming the setting.
   */
  public static final class Builder {
    private final RelayConfig.Builder settings = RelayConfig.builder();

    private Builder() {}

    /** The address to listen on for every port, e.g. {@code 127.0.0.1} or {@code 0.0.0.0} (the default). */
    public Builder bind(String host) {
      settings.bind(host);
      return this;
    }

    /** The camera port (raw JPEG and the framed protocol); default 3008, 0 = any free port, -1 = off. */
    public Builder tcpPort(int port) {
      settings.tcpPort(port);
      return this;
    }

    /** The WebSocket port (viewers and WebSocket cameras); default 3009, 0 = any free port, -1 = off. */
    public Builder wsPort(int port) {
      settings.wsPort(port);
      return this;
    }

    /** The HTTP port (page, MJPEG, snapshots, API, metrics); default 3010, 0 = any free port, -1 = off. */
    public Builder httpPort(int port) {
      settings.httpPort(port);
      return this;
    }

    /** The camera raw JPEG ingest and the WebSocket viewer path {@code /} use. */
    public Builder defaultCameraId(String id) {
      settings.defaultCameraId(id);
      return this;
    }

    /** Largest accepted frame, default 4 MiB, at least 1024; larger frames are refused before they are buffered. */
    public Builder maxFrameBytes(int bytes) {
      settings.maxFrameBytes(bytes);
      return this;
    }

    /**
     * Whether tokenless raw JPEG streams are accepted on the TCP port (default true). Raw ingest is refused anyway
     * when a camera token applies to the default camera, because raw streams cannot carry one.
     */
    public Builder allowRawIngest(boolean allow) {
      settings.allowRawIngest(allow);
      return this;
    }

    /** The token every camera must present (framed HELLO, WebSocket ingest), unless it has its own. */
    public Builder cameraToken(String token) {
      settings.cameraToken(token);
      return this;
    }

    /** The token camera {@code cameraId} must present (instead of the global camera token). */
    public Builder cameraToken(String cameraId, String token) {
      settings.cameraToken(cameraId, token);
      return this;
    }

    /** The token viewers must present ({@code ?token=}, {@code bearer.<token>} subprotocol, Bearer header). */
    public Builder viewerToken(String token) {
      settings.viewerToken(token);
      return this;
    }

    /**
     * The token that allows sending control commands (and viewing). Without one, control is allowed only when the
     * relay has no tokens at all and listens on loopback only.
     */
    public Builder controlToken(String token) {
      settings.controlToken(token);
      return this;
    }

    /** Open connections over all ports together; default 2000. */
    public Builder maxConnections(int max) {
      settings.maxConnections(max);
      return this;
    }

    /** Open connections from one IP address over all ports together; default 250. */
    public Builder maxConnectionsPerIp(int max) {
      settings.maxConnectionsPerIp(max);
      return this;
    }

    /** Cameras the relay keeps at once; default 1024. */
    public Builder maxCameras(int max) {
      settings.maxCameras(max);
      return this;
    }

    /** How long a new connection may take to identify itself (framed HELLO, WebSocket upgrade); default 5 s. */
    public Builder handshakeTimeout(Duration timeout) {
      settings.handshakeTimeout(timeout);
      return this;
    }

    /** A camera that sends nothing for this long is dropped; default 15 s. */
    public Builder cameraIdleTimeout(Duration timeout) {
      settings.cameraIdleTimeout(timeout);
      return this;
    }

    /**
     * A viewer or output that makes no progress on a frame for this long is detached; default 10 s. Applies to
     * every output attached with {@link CameraRelay#attachOutput}.
     */
    public Builder viewerStallTimeout(Duration timeout) {
      settings.viewerStallTimeout(timeout);
      return this;
    }

    /** How long an on-demand camera keeps streaming after its last viewer left; default 10 s. */
    public Builder onDemandLinger(Duration linger) {
      settings.onDemandLinger(linger);
      return this;
    }

    /** How long a control command may wait for the camera's reply; default 5 s. */
    public Builder controlTimeout(Duration timeout) {
      settings.controlTimeout(timeout);
      return this;
    }

    /**
     * Kernel send buffer per viewer socket (bounds bytes in flight to a slow viewer); default 32 KiB. Linux doubles
     * it, so a viewer holds at most about 64 KiB plus one frame: on a link at half a 30 fps stream's bitrate that
     * keeps its latency near 150 ms (128 KiB gave about 470 ms).
     */
    public Builder viewerSendBufferBytes(int bytes) {
      settings.viewerSendBufferBytes(bytes);
      return this;
    }

    /** Serves the WebSocket and HTTP ports with TLS using the key and certificate in a PKCS#12 file. */
    public Builder tls(Path pkcs12, char[] password) {
      settings.tls(pkcs12, password);
      return this;
    }

    /** Pulls camera {@code cameraId} from an MJPEG URL (e.g. an ESP32's {@code http://cam:81/stream}). */
    public Builder pull(String cameraId, URI mjpegUrl) {
      settings.pull(cameraId, mjpegUrl);
      return this;
    }

    /** Whether the HTTP port serves the web viewer page at {@code /} (default true). */
    public Builder serveViewer(boolean serve) {
      settings.serveViewer(serve);
      return this;
    }

    public CameraRelay build() {
      return new CameraRelay(settings.build());
    }
  }
}
