package dev.camrelay.relay.internal.runtime;

import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.FrameListener;
import dev.camrelay.relay.internal.auth.AccessSummary;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import dev.camrelay.relay.internal.hub.Hub;
import dev.camrelay.relay.internal.output.listener.FrameListenerOutput;
import dev.camrelay.relay.internal.clips.Clips;
import dev.camrelay.relay.internal.past.Past;
import dev.camrelay.relay.internal.port.NativeLoops;
import dev.camrelay.relay.internal.port.TlsContexts;
import dev.camrelay.relay.internal.port.http.HttpFrontend;
import dev.camrelay.relay.internal.port.mdns.MdnsAdvertiser;
import dev.camrelay.relay.internal.port.rtsp.RtspServer;
import dev.camrelay.relay.internal.port.tcp.TcpIngestServer;
import dev.camrelay.relay.internal.port.websocket.WsServer;
import dev.camrelay.relay.internal.record.FileOpener;
import dev.camrelay.relay.internal.record.RecordSettings;
import dev.camrelay.relay.internal.record.Recorder;
import dev.camrelay.relay.internal.record.RecordingStore;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one relay runs: the hub, its threads (a timer, a pool for listeners, Netty's accept and I/O loops) and
 * the ports around it, assembled in {@link #start()} and taken down in {@link #close()}. The ports reach the hub
 * only through the public seam ({@link dev.camrelay.relay.CameraHub}).
 *
 * <pre>
 *   port/tcp ─────► source/tcp ──┐                              ┌──► output/websocket ◄──── port/websocket
 *   port/websocket ► source/websocket ─► hub (cameras) ─────────┼──► output/mjpeg     ◄──── port/http
 *   source/pull (outbound HTTP) ─┘                              └──► output/listener (onFrame)
 * </pre>
 */
public final class RelayRuntime {
  private static final Logger log = LoggerFactory.getLogger(RelayRuntime.class);
  private static final int LISTENER_THREADS = 16;

  private final RelayConfig config;
  private final Authenticator auth;
  private final ConnectionLimiter limiter;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor listenerExecutor;
  private final Hub hub;
  private final LiveCameras registry;
  private final RelayMeters meters;
  private final Past past;
  private final FirmwareUpdates firmware;
  private WsServer ws;
  private TcpIngestServer tcp;
  private HttpFrontend http;
  private RtspServer rtsp;
  private final Recorder recorder;
  private AutoCloseable recorderOutputs;
  private MdnsAdvertiser mdns;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private EventLoopGroup cameraLoops;
  private volatile int tcpPort = -1;
  private volatile int wsPort = -1;
  private volatile int httpPort = -1;
  private volatile int rtspPort = -1;

  public RelayRuntime(RelayConfig config) {
    this(config, null);
  }

  /** A runtime whose meters are also registered in {@code embedderMetersOrNull} when not null. */
  public RelayRuntime(RelayConfig config, io.micrometer.core.instrument.MeterRegistry embedderMetersOrNull) {
    this.config = config;
    this.auth = new Authenticator(config);
    this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp());
    this.timer = new ScheduledThreadPoolExecutor(1, threads("camrelay-timer"));
    timer.setRemoveOnCancelPolicy(true);
    // Up to 16 threads, idle ones time out: a listener that blocks holds one thread, not all listeners' callbacks.
    this.listenerExecutor = new ThreadPoolExecutor(LISTENER_THREADS, LISTENER_THREADS, 5, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads("camrelay-listener"));
    listenerExecutor.allowCoreThreadTimeOut(true);
    this.hub = new Hub(config, timer, listenerExecutor);
    this.registry = new LiveCameras(config, hub, auth, this::workers);
    this.meters = new RelayMeters(hub, embedderMetersOrNull);
    this.firmware = new FirmwareUpdates(hub, timer, () -> httpPort, config.tlsEnabled(), config.maxFirmwareBytes(),
        FirmwareUpdates.DEFAULT_LIFETIME);
    auth.failures().bindTo(meters.registry());
    RecordSettings rec = config.recording();
    this.recorder = rec == null ? null
        : new Recorder(new RecordingStore(rec.dir()), rec, () -> System.currentTimeMillis() * 1000, FileOpener.DEFAULT);
    this.past = past(config, hub, recordings());
  }

  /** The recordings (read side), or null when recording is off. */
  public RecordingStore recordings() {
    return recorder == null ? null : recorder.store();
  }

  /** The recorder, or null when recording is off. */
  public Recorder recorder() {
    return recorder;
  }

  /** The relay's meters (served as {@code /metrics}). */
  public RelayMeters meters() {
    return meters;
  }

  public Hub hub() {
    return hub;
  }

  /** The configured cameras, changeable while running. */
  public LiveCameras registry() {
    return registry;
  }

  public RelayConfig config() {
    return config;
  }

  /** Binds every enabled port (WebSocket, then HTTP, then TCP, which names the other two to lost browsers). */
  public void start() throws IOException {
    logAccess();
    // Before the ports open, so the first frames of the first cameras are recorded too.
    if (recorder != null) {
      recorder.bindTo(meters.registry());
      recorder.start();
      recorderOutputs = hub.attachOutputs(recorder);
      log.info(recorder.settings().toString());
    }
    SSLContext tls = config.tlsEnabled() ? TlsContexts.fromPkcs12(config.tlsPkcs12(), config.tlsPassword()) : null;
    if (config.wsPort() >= 0) {
      ws = WsServer.start(config, hub, auth, limiter, timer, tls, past);
      wsPort = ws.getPort();
    }
    if (config.httpPort() >= 0) {
      http = new HttpFrontend(config, hub, auth, info(), boss(), workers(), tls, limiter, registry, meters, past,
          firmware);
      httpPort = http.start();
    }
    if (config.tcpPort() >= 0) {
      tcp = new TcpIngestServer(config, hub, auth, limiter, timer, httpPort, wsPort, tls, firmware);
      tcpPort = tcp.start(boss(), workers(), cameraLoops());
      if (http != null) {
        http.info(info()); // now with the camera port
      }
    }
    if (config.rtspPort() >= 0) {
      rtsp = new RtspServer(config, hub, auth, limiter, RtspServer.SESSION_TIMEOUT);
      rtsp.bindTo(meters.registry());
      rtspPort = rtsp.start(boss(), workers());
      if (http != null) {
        http.info(info()); // now with the RTSP port
        http.rtspRefusals(rtsp::refusal);
      }
    }
    past.start();
    registry.start();
    advertise();
    // Per-camera meters follow the hub for embedders' registries too, not only at /metrics scrapes.
    timer.scheduleWithFixedDelay(meters::syncCameras, 0, 5, TimeUnit.SECONDS);
    if (log.isDebugEnabled()) {
      timer.scheduleWithFixedDelay(this::logStats, 10, 10, TimeUnit.SECONDS);
    }
  }

  /**
   * The recordings' and clips' side of the relay: clips (when {@code preEvent} is set) go to the record folder's
   * {@code {id}/clips/}, or without one to {@code clipsDir/{id}/}.
   */
  private static Past past(RelayConfig config, Hub hub, RecordingStore storeOrNull) {
    Clips clips = null;
    if (!config.preEvent().isZero()) {
      Function<String, Path> dirOf = storeOrNull != null
          ? id -> storeOrNull.cameraDir(id).resolve("clips")
          : id -> config.clipsDir().toAbsolutePath().resolve(id);
      clips = new Clips(hub, config.preEvent(), config.preEventMaxBytes(), dirOf);
    }
    return new Past(storeOrNull, clips, config.clipsDir().toAbsolutePath().resolve("{id}").toString());
  }

  /** Advertises the relay on the LAN when asked to and cameras can connect (the camera port is on). */
  private void advertise() {
    if (config.mdnsName() == null) {
      return;
    }
    if (tcpPort < 0) {
      log.warn("mDNS: not advertising '{}': the camera port is off", config.mdnsName());
      return;
    }
    if (config.loopbackOnly()) {
      log.info("mDNS: not advertising '{}': the relay listens on loopback only ({}), out of the LAN's reach",
          config.mdnsName(), config.bindHost());
      return;
    }
    mdns = MdnsAdvertiser.start(config.bindHost(), MdnsAdvertiser.serviceInfo(config.mdnsName(), tcpPort, httpPort,
        wsPort, config.tlsEnabled(), Version.get()));
  }

  /** An {@code onFrame} listener as a relay-wide output of every camera. */
  public AutoCloseable addFrameListener(FrameListener listener) {
    return hub.attachOutputs(cameraId -> new FrameListenerOutput(cameraId, listener, listenerExecutor));
  }

  public int tcpPort() {
    return tcpPort;
  }

  public int wsPort() {
    return wsPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int rtspPort() {
    return rtspPort;
  }

  /** The WebSocket server, null when disabled or not started (for tests). */
  public WsServer wsServer() {
    return ws;
  }

  public RelayInfo info() {
    return new RelayInfo(Version.get(), wsPort, config.tlsEnabled(), config.tlsEnabled(),
        auth.viewerAuthRequired(), auth.controlRequiresToken(), tcpPort, rtspPort);
  }

  private void logStats() {
    for (CameraStats c : hub.cameras()) {
      log.debug("camera '{}': {} {}x{} {} fps {} kbit/s, {} viewers, {} frames in, {} dropped, last frame {} ms ago",
          c.id(), c.connected() ? c.ingest() : "offline", c.width(), c.height(), c.fps(), c.bitrateKbps(),
          c.viewers(), c.framesIn(), c.framesDropped(), c.lastFrameAgeMs());
    }
  }

  /** One line saying what is open to whom; a warning when strangers could watch or publish beyond loopback. */
  private void logAccess() {
    String summary = "access: " + AccessSummary.of(config, auth)
        + "; admin API: " + (config.adminToken() != null ? "the admin token" : "off");
    if (!config.loopbackOnly() && AccessSummary.openToStrangers(config, auth)) {
      log.warn("{} (listening on {}: anyone who can reach this machine gets what is open)", summary,
          config.bindHost());
    } else {
      log.info(summary);
    }
  }

  /**
   * Stops everything: pullers, then the hub (cameras get BYE 9 SHUTTING_DOWN, viewers 1001), then the ports and every
   * thread. Returns within about a second.
   */
  public void close() {
    if (mdns != null) {
      mdns.close();
    }
    registry.close();
    hub.close();
    if (recorder != null) {
      closeQuietly(recorderOutputs);
      recorder.close(); // after the hub: the frames it delivered are written, the segments finished
    }
    if (tcp != null) {
      tcp.close();
    }
    if (http != null) {
      http.close();
    }
    past.close();
    if (rtsp != null) {
      rtsp.close();
    }
    if (ws != null) {
      ws.shutdown();
    }
    shutdownGroup(boss);
    shutdownGroup(workers);
    shutdownGroup(cameraLoops);
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
    meters.close();
    tcpPort = -1;
    wsPort = -1;
    httpPort = -1;
    rtspPort = -1;
  }

  private synchronized EventLoopGroup boss() {
    if (boss == null) {
      boss = new NioEventLoopGroup(1, new DefaultThreadFactory("camrelay-accept", true));
    }
    return boss;
  }

  private static int ioThreads() {
    return Math.min(4, Runtime.getRuntime().availableProcessors());
  }

  private synchronized EventLoopGroup workers() {
    if (workers == null) {
      workers = new NioEventLoopGroup(ioThreads(),
          new DefaultThreadFactory("camrelay-io", true));
    }
    return workers;
  }

  /** Native loops for the camera port (a camera may open a connection per frame), or null where they do not run. */
  private synchronized EventLoopGroup cameraLoops() {
    if (cameraLoops == null) {
      cameraLoops = NativeLoops.createOrNull("camrelay-camera", ioThreads());
      if (cameraLoops == null) {
        log.debug("camera port on Java NIO: Netty's native transport is unavailable ({})",
            NativeLoops.unavailableReason());
      }
    }
    return cameraLoops;
  }

  private static void shutdownGroup(EventLoopGroup group) {
    if (group != null) {
      group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing {}: {}", c, e.toString());
      }
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
}
