package dev.camrelay.relay.internal.port.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.PortBindException;
import dev.camrelay.relay.internal.auth.AdminAuth;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.auth.ViewerAccess;
import dev.camrelay.relay.internal.firmware.FirmwareStatus;
import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import dev.camrelay.relay.internal.output.SharedEncodings;
import dev.camrelay.relay.internal.output.mjpeg.MjpegCounters;
import dev.camrelay.relay.internal.output.mjpeg.MjpegPartEncoding;
import dev.camrelay.relay.internal.past.Past;
import dev.camrelay.relay.internal.port.BindFailures;
import dev.camrelay.relay.internal.port.ViewerSendBuffer;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.LiveCameras;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.runtime.RelayInfo;
import dev.camrelay.relay.internal.runtime.RelayMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's HTTP port (default 3010): the viewer page, MJPEG streams, snapshots, the JSON API, Prometheus metrics
 * and a health check; optionally HTTPS on the same port. See {@link RouteTable} for the routes.
 *
 * <pre>
 * per connection:  connection limit -> [TLS or refuse plain] -> HttpServerCodec -> request-head timeout
 *                  -> requests (HttpRequestHandler, or MjpegStream once the connection streams) -> errors
 * </pre>
 *
 * Limits: request line 4 KiB, headers 8 KiB (431 beyond), request head complete within the handshake timeout
 * (slowloris), connections in total and per client address from the relay config (503 beyond), MJPEG viewers closed
 * after the viewer stall timeout. The event loop groups are the relay's and are not shut down here.
 */
public final class HttpFrontend implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFrontend.class);
  static final int MAX_INITIAL_LINE = 4096;
  static final int MAX_HEADER_BYTES = 8192;
  static final int MAX_CHUNK_BYTES = 8192;

  private final RelayConfig config;
  private final CameraHub hub;
  private final Authenticator auth;
  private volatile RelayInfo info;
  private volatile Function<String, String> rtspRefusals = cameraId -> null;
  private final LiveCameras registry;
  private final AdminRoute adminRoute;
  private final AdminGate adminGate;
  private final FirmwareUpdates firmware;
  private final FirmwareUploadRoute firmwareUploadRoute;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final SSLContext tls;
  private final StaticAssets assets;
  private final Gson gson = new GsonBuilder().serializeNulls().create();
  private final MjpegWriter mjpegWriter = new MjpegWriter(MjpegWriter.DEFAULT_BOUNDARY);
  private final SharedEncodings mjpegParts =
      new SharedEncodings(new MjpegPartEncoding(mjpegWriter), PooledByteBufAllocator.DEFAULT);
  private final SharedEncodings mjpegAdvanceParts =
      new SharedEncodings(MjpegPartEncoding.advanceHeaders(mjpegWriter), PooledByteBufAllocator.DEFAULT);
  private final ConnectionGate gate;
  private final MjpegCounters mjpegCounters = new MjpegCounters();
  private final RelayMeters meters;
  /** Refusals (bad paths, auth, limits) are logged at most once per client and kind per 10 s. */
  private final LogLimiter refusals = new LogLimiter(LoggerFactory.getLogger(HttpRequestHandler.class), 10_000);
  private final ChannelGroup channels = new DefaultChannelGroup("camrelay-http", ImmediateEventExecutor.INSTANCE);
  private final Past past;
  private final ClipPostRoute clipPostRoute;
  private final RouteTable routes;
  private Channel serverChannel;

  /**
   * A frontend counting its connections in the relay-wide {@code limiter} shared with the other ports, listing and
   * changing the cameras of {@code registry}, serving the recordings through {@code past} (which it does not close).
   */
  public HttpFrontend(RelayConfig config, CameraHub hub, Authenticator auth, RelayInfo info,
      EventLoopGroup boss, EventLoopGroup workers, SSLContext tlsOrNull, ConnectionLimiter limiter,
      LiveCameras registry, RelayMeters meters, Past past, FirmwareUpdates firmware) {
    this(config, hub, auth, info, boss, workers, tlsOrNull, limiter, registry, meters, past, firmware,
        config.serveViewer() ? StaticAssets.viewer() : null);
  }

  /** With another static folder (tests), or null to serve no files. */
  HttpFrontend(RelayConfig config, CameraHub hub, Authenticator auth, RelayInfo info,
      EventLoopGroup boss, EventLoopGroup workers, SSLContext tlsOrNull, ConnectionLimiter limiter,
      LiveCameras registry, RelayMeters meters, Past past, FirmwareUpdates firmware, StaticAssets assets) {
    this.config = config;
    this.past = past;
    this.clipPostRoute = new ClipPostRoute(hub, auth, past);
    this.meters = meters;
    this.registry = registry;
    this.adminRoute = new AdminRoute(registry);
    this.adminGate = new AdminGate(new AdminAuth(config.adminToken()), auth.failures());
    this.firmware = firmware;
    this.firmwareUploadRoute = new FirmwareUploadRoute(firmware, gson);
    this.hub = hub;
    this.auth = auth;
    this.info = info;
    this.boss = boss;
    this.workers = workers;
    this.tls = tlsOrNull;
    this.assets = assets;
    this.gate = new ConnectionGate(limiter);
    this.routes = RouteTable.of(this);
    registerMeters(meters.registry());
  }

  private void registerMeters(MeterRegistry m) {
    Gauge.builder("camrelay.connections", gate, ConnectionGate::relayTotal)
        .description("Open connections counted against the relay's connection limit (all ports sharing it).")
        .register(m);
    Gauge.builder("camrelay.http.connections", gate, ConnectionGate::open)
        .description("Open connections on the HTTP port.").register(m);
    Gauge.builder("camrelay.http.mjpeg.viewers", this, HttpFrontend::mjpegViewers)
        .description("MJPEG stream viewers on the HTTP port.").register(m);
    FunctionCounter.builder("camrelay.http.mjpeg.frames.sent", mjpegCounters.sent, LongAdder::sum)
        .description("Frames written to MJPEG viewers.").register(m);
    FunctionCounter.builder("camrelay.http.mjpeg.frames.skipped", mjpegCounters.skipped, LongAdder::sum)
        .description("Frames MJPEG viewers skipped because a newer frame replaced one still waiting (slow viewers).")
        .register(m);
  }

  /** Binds the configured host and HTTP port; returns the bound port (useful when the config says 0). */
  public int start() throws IOException {
    int sendBuffer = ViewerSendBuffer.initialSize(sendBufferCap());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 256)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // A small kernel buffer (which an MJPEG viewer's ViewerSendBuffer then fits to its rate) and low water marks
        // keep at most about one frame queued per viewer, so a slow viewer's next frame is chosen late (fresh)
        // instead of queued early (stale).
        .childOption(ChannelOption.SO_SNDBUF, sendBuffer)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(sendBuffer / 2, sendBuffer))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            initPipeline(channel);
          }
        });
    InetSocketAddress address = new InetSocketAddress(config.bindHost(), config.httpPort());
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      Throwable cause = bound.cause();
      throw BindFailures.of(PortBindException.Setting.HTTP_PORT, "HTTP", config.bindHost(), config.httpPort(), cause);
    }
    serverChannel = bound.channel();
    int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    log.info("HTTP listening on {}:{}{}", config.bindHost(), port, tls != null ? " (HTTPS)" : "");
    return port;
  }

  void initPipeline(SocketChannel channel) {
    channels.add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("limit", gate);
    if (tls != null) {
      pipeline.addLast("tls", new TlsOrRefuse(tls));
    }
    pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES));
    pipeline.addLast("head-timeout", new RequestHeadTimeout(config.handshakeTimeout()));
    pipeline.addLast("requests", new HttpRequestHandler(this));
    pipeline.addLast("errors", ConnectionErrors.INSTANCE);
  }

  /** Closes the listener and every open HTTP connection (MJPEG viewers included); does not stop the event loops. */
  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(1000);
    }
    channels.close().awaitUninterruptibly(1000);
    mjpegParts.releaseAll();
    mjpegAdvanceParts.releaseAll();
  }

  // ---- for the request handlers

  CameraHub hub() {
    return hub;
  }

  /** The recordings' routes and threads. */
  Past past() {
    return past;
  }

  Authenticator auth() {
    return auth;
  }

  RelayInfo info() {
    return info;
  }

  /** Replaces what {@code /api/info} says (the runtime knows the camera port only after this port is bound). */
  public void info(RelayInfo updated) {
    this.info = updated;
  }

  /** Where {@code /api/cameras} learns why a camera's frames are refused for RTSP (the RTSP port, once bound). */
  public void rtspRefusals(Function<String, String> byCamera) {
    this.rtspRefusals = byCamera;
  }

  /** How long a request body the relay reads (the admin API's) may take to arrive. */
  Duration bodyTimeout() {
    return config.handshakeTimeout();
  }

  ClipPostRoute clipPostRoute() {
    return clipPostRoute;
  }

  AdminRoute adminRoute() {
    return adminRoute;
  }

  AdminGate adminGate() {
    return adminGate;
  }

  FirmwareUploadRoute firmwareUploadRoute() {
    return firmwareUploadRoute;
  }

  FirmwareUpdates firmware() {
    return firmware;
  }

  StaticAssets assets() {
    return assets;
  }

  Gson gson() {
    return gson;
  }

  MjpegWriter mjpegWriter() {
    return mjpegWriter;
  }

  SharedEncodings mjpegParts() {
    return mjpegParts;
  }

  SharedEncodings mjpegAdvanceParts() {
    return mjpegAdvanceParts;
  }

  ConnectionGate gate() {
    return gate;
  }

  RouteTable routes() {
    return routes;
  }

  LogLimiter refusals() {
    return refusals;
  }

  /** The most an MJPEG viewer's kernel send buffer may grow to. */
  int sendBufferCap() {
    return config.viewerSendBufferBytes();
  }

  RelayMeters meters() {
    return meters;
  }

  MjpegCounters mjpegCounters() {
    return mjpegCounters;
  }

  int mjpegViewers() {
    return mjpegParts.users() + mjpegAdvanceParts.users();
  }

  /**
   * {@code /api/cameras}: the cameras {@code access} may see, with their state (configured cameras too, before they
   * first connect) and the relay node they are connected to ({@code node}: this relay's name, or another node's for
   * cameras a cluster brings); its latest firmware update ({@code "firmware"}, see {@link FirmwareStatus}) if it had
   * one; with the RTSP port on, each camera's RTSP path ({@code "rtsp": "/garage"}: the page adds the host it reached
   * the relay by and {@code /api/info}'s {@code rtspPort}) and, while its frames cannot go out over RTSP, why
   * ({@code "rtspRefused"}).
   */
  JsonObject cameraList(ViewerAccess access) {
    boolean rtsp = info.rtspPort() >= 0;
    Function<String, String> refusals = rtspRefusals;
    JsonArray cameras = new JsonArray();
    for (LiveCameras.Listed c : registry.listing()) {
      if (!access.mayView(c.stats().id())) {
        continue;
      }
      JsonObject entry = gson.toJsonTree(c.stats()).getAsJsonObject();
      entry.addProperty("state", c.state());
      entry.addProperty("node", c.stats().node() != null ? c.stats().node() : config.nodeName());
      firmware.status(c.stats().id()).ifPresent(s -> entry.add("firmware", gson.toJsonTree(s)));
      if (rtsp) {
        entry.addProperty("rtsp", "/" + c.stats().id()); // ids need no escaping in a URL path (CameraId's rule)
        String refused = refusals.apply(c.stats().id());
        if (refused != null) {
          entry.addProperty("rtspRefused", refused);
        }
      }
      cameras.add(entry);
    }
    JsonObject out = new JsonObject();
    out.add("cameras", cameras);
    return out;
  }

  /** Cameras worth waiting for even before they first connect: the default camera and configured ones. */
  boolean expectsCamera(String id) {
    return id.equals(config.defaultCameraId()) || registry.configured(id);
  }
}
