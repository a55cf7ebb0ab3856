package dev.camrelay.relay.internal.source.pull;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegSplitter;
import dev.camrelay.frame.mjpeg.MjpegFormatException;
import dev.camrelay.frame.mjpeg.MjpegReader;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.CameraSpec;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.runtime.Version;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pull ingest: reads an MJPEG stream from a camera's HTTP URL (the ESP32 CameraWebServer's
 * {@code http://<board>:81/stream}, or any IP camera's {@code multipart/x-mixed-replace} URL) and publishes every
 * complete, valid JPEG to the camera, which shows as ingest {@code pull}.
 *
 * <pre>
 * GET /stream ──► 200 multipart/x-mixed-replace;boundary=B ──► parts ──► MjpegReader ──► camera.publish(frame)
 *      ▲                                                                     │
 *      └──── backoff 0.5 s, 1 s, 2 s ... 30 s (full jitter) ◄── connect failed, non-200, no data for the
 *                                                               read timeout, stream ended or corrupt
 * </pre>
 *
 * <p>Limits: connect timeout = the relay's handshake timeout; read timeout (no bytes at all, so a hung camera is
 * dropped) = the camera idle timeout; frames above the max frame size are dropped and counted. A frame cut off by a
 * disconnect is never published. {@code user:password@} in the URL is sent as HTTP Basic auth (Digest is not
 * supported); logs show the URL without user info or query. http and https URLs (https is verified against the
 * JVM's trust store).
 */
public final class MjpegPuller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MjpegPuller.class);
  static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
  private static final int MAX_RESPONSE_HEAD_LINE = 4096;
  private static final int MAX_RESPONSE_HEADERS = 16 * 1024;
  private static final int MAX_CHUNK = 64 * 1024;

  private final CameraHub hub;
  private final String cameraId;
  private final URI url;
  private final String safeUrl;
  private final RelayConfig config;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Backoff backoff;
  private final EventLoopGroup ownGroup;
  private final EventLoop loop;
  private final SslContext tls;

  // Event-loop state.
  private boolean started;
  /** Also set at once by {@link #stop} (from any thread), before the loop gets to it: nothing attaches after a stop. */
  private volatile boolean closed;
  private Connection connection;
  private ScheduledFuture<?> retry;
  /** Why the last attempt failed before a stream started; null while connecting first or after a stream. */
  private volatile String lastFailure;

  /** A puller with its own single event-loop thread (ended by {@link #close()}). */
  public MjpegPuller(CameraHub hub, String cameraId, URI url, RelayConfig config) {
    this(hub, cameraId, url, config, null);
  }

  /** A puller on the relay's event loop group ({@code group} is not shut down by {@link #close()}). */
  public MjpegPuller(CameraHub hub, String cameraId, URI url, RelayConfig config, EventLoopGroup group) {
    this(hub, cameraId, url, config, group, config.handshakeTimeout(), config.cameraIdleTimeout(),
        new Backoff(BACKOFF_BASE, BACKOFF_CAP, new Random()));
  }

  MjpegPuller(CameraHub hub, String cameraId, URI url, RelayConfig config, EventLoopGroup group,
      Duration connectTimeout, Duration readTimeout, Backoff backoff) {
    CameraId.check(cameraId);
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("pull URL must be http:// or https://, was " + safe(url));
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("pull URL has no host: " + safe(url));
    }
    this.hub = hub;
    this.cameraId = cameraId;
    this.url = url;
    this.safeUrl = safe(url);
    this.config = config;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.backoff = backoff;
    if (group == null) {
      ownGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("camrelay-pull-" + cameraId, true));
      group = ownGroup;
    } else {
      ownGroup = null;
    }
    this.loop = group.next();
    try {
      this.tls = scheme.equals("https") ? SslContextBuilder.forClient().build() : null;
    } catch (SSLException e) {
      throw new IllegalStateException("no TLS client support in this JVM: " + e.getMessage(), e);
    }
  }

  /** Starts connecting (in the background); failures are retried until {@link #close()}. */
  public void start() {
    loop.execute(() -> {
      if (!started && !closed) {
        started = true;
        connect();
      }
    });
  }

  /**
   * Why the last attempt to connect failed (e.g. {@code cannot connect: Connection refused: ...}), or null while the
   * first attempt runs and once a stream started (until it fails again).
   */
  public String failure() {
    return lastFailure;
  }

  /**
   * Stops pulling without waiting: the connection closes and the source detaches on the puller's event loop soon
   * after (safe to call from any thread, an event loop included). For a puller on the relay's group only.
   */
  public void stop() {
    closed = true;
    try {
      loop.execute(this::stopOnLoop);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The event loop is already gone: nothing is running.
    }
  }

  private void stopOnLoop() {
    closed = true;
    if (retry != null) {
      retry.cancel(false);
    }
    if (connection != null) {
      connection.fail("pull stopped", false);
    }
  }

  /** Stops pulling: closes the connection, detaches the source from the camera, ends the own thread if any. */
  @Override
  public void close() {
    CountDownLatch done = new CountDownLatch(1);
    try {
      loop.execute(() -> {
        stopOnLoop();
        done.countDown();
      });
      done.await(1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The event loop is already gone: nothing is running.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(1000);
    }
  }

  /** The URL as logged: scheme, host, port and path, without user info or query. */
  String safeUrl() {
    return safeUrl;
  }

  private void connect() {
    if (closed) {
      return;
    }
    Connection c = new Connection();
    connection = c;
    String host = hostOf(url);
    int port = portOf(url);
    new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), host, port));
            }
            ch.pipeline().addLast("http", new HttpClientCodec(MAX_RESPONSE_HEAD_LINE, MAX_RESPONSE_HEADERS, MAX_CHUNK));
            ch.pipeline().addLast("idle", new IdleStateHandler(readTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
            ch.pipeline().addLast("pull", c);
          }
        })
        .connect(host, port)
        .addListener((ChannelFuture f) -> {
          if (!f.isSuccess()) {
            c.fail("cannot connect: " + describe(f.cause()), false);
          }
        });
  }

  private void scheduleRetry() {
    if (closed) {
      return;
    }
    Duration delay = backoff.next();
    retry = loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private FullHttpRequest request() {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    int port = portOf(url);
    boolean defaultPort = port == (tls != null ? 443 : 80);
    String host = url.getHost();
    // Canonical header case: some embedded camera servers compare header names case-sensitively.
    request.headers()
        .set("Host", defaultPort ? host : host + ":" + port)
        .set("User-Agent", "camrelay/" + Version.get())
        .set("Accept", "multipart/x-mixed-replace, */*")
        .set("Connection", "close");
    if (url.getRawUserInfo() != null) {
      String userInfo = URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8);
      request.headers().set("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  /** One HTTP connection to the camera; all methods run on the puller's event loop. */
  private final class Connection extends ChannelInboundHandlerAdapter implements JpegSplitter.Listener {
    private Channel channel;
    private boolean failed;
    private MjpegReader reader;
    /** While the Content-Type names no boundary: looks for one at the start of the body. */
    private BodyBoundary sniffing;
    private String contentTypeProblem;
    private SourceHandle camera;
    private long frames;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      if (closed || connection != this) {
        ctx.close();
        return;
      }
      ctx.writeAndFlush(request());
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (failed) {
          return;
        }
        if (msg instanceof HttpResponse response) {
          onResponse(response);
        }
        if (msg instanceof HttpContent content && !failed && (reader != null || sniffing != null)) {
          if (reader == null) {
            sniff(content.content());
          } else {
            feed(content.content());
          }
          if (msg instanceof LastHttpContent && !failed) {
            fail(reader != null ? "the camera ended the stream"
                : contentTypeProblem + ", and the body ended before a boundary line", false);
          }
        }
      } catch (MjpegFormatException e) {
        fail("bad MJPEG stream: " + e.getMessage(), false);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void onResponse(HttpResponse response) throws MjpegFormatException {
      if (!response.decoderResult().isSuccess()) {
        fail("bad HTTP response: " + response.decoderResult().cause().getMessage(), false);
        return;
      }
      if (!response.status().equals(HttpResponseStatus.OK)) {
        String location = response.headers().get(HttpHeaderNames.LOCATION);
        fail("HTTP " + response.status() + (location != null ? " (Location: " + location + ")" : ""), false);
        return;
      }
      String contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
      String boundary;
      try {
        boundary = MjpegReader.boundaryOf(contentType);
      } catch (MjpegFormatException e) {
        // Look at the body as browsers and VLC do (ffmpeg's own server says application/octet-stream).
        sniffing = new BodyBoundary();
        contentTypeProblem = e.getMessage();
        return;
      }
      streamFound(boundary);
    }

    private void streamFound(String boundary) {
      if (closed) {
        // Stopped while the response was on its way: the camera may already be removed, attach nothing.
        fail("pull stopped", false);
        return;
      }
      reader = new MjpegReader(boundary, config.maxFrameBytes(), this);
      camera = hub.attachSource(cameraId, SourceInfo.of("pull", url.getHost() + ":" + portOf(url)).withVerified(),
          new PullSource(this));
      // Camera logs the connect (with host:port); this adds the URL for debugging.
      log.debug("pull camera '{}': connected to {}", cameraId, safeUrl);
      lastFailure = null;
    }

    /** Feeds body bytes to the boundary sniffer; once the boundary is known, starts the stream and feeds the rest. */
    private void sniff(ByteBuf content) throws MjpegFormatException {
      ByteBuffer[] parts = content.nioBuffers();
      for (int i = 0; i < parts.length; i++) {
        ByteBuffer b = parts[i];
        while (b.hasRemaining() && reader == null) {
          sniffing.feed(b);
          String boundary = sniffing.boundary();
          if (boundary != null) {
            log.info("pull camera '{}': {}; the body starts with boundary '--{}', reading it as MJPEG ({})",
                cameraId, contentTypeProblem, boundary, safeUrl);
            ByteBuffer seen = sniffing.seen();
            sniffing = null;
            streamFound(boundary);
            if (failed) {
              return;
            }
            reader.feed(seen);
          } else if (sniffing.impossible()) {
            fail(contentTypeProblem + ", and the body does not start with a boundary line", false);
            return;
          }
        }
        if (reader != null) {
          for (int j = i; j < parts.length && !failed; j++) {
            reader.feed(parts[j]);
          }
          return;
        }
      }
    }

    private void feed(ByteBuf bytes) throws MjpegFormatException {
      for (ByteBuffer b : bytes.nioBuffers()) {
        reader.feed(b);
        if (failed) {
          return;
        }
      }
    }

    @Override
    public void onFrame(JpegFrame frame) {
      if (failed || camera == null) {
        return;
      }
      if (frames++ == 0) {
        backoff.reset(); // this camera works; a later failure starts the backoff over
      }
      camera.publish(frame);
    }

    @Override
    public void onDiscard(JpegSplitter.Discard reason, long bytes, String detail) {
      if (camera != null && reason != JpegSplitter.Discard.GARBAGE) {
        camera.frameDropped();
        log.debug("pull camera '{}': dropped a {} frame ({} bytes): {}", cameraId, reason, bytes, detail);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent) {
        fail("no data for " + readTimeout.toMillis() + " ms (read timeout)", false);
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(reader == null ? "connection closed before a response" : "connection closed by the camera", false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(describe(cause), false);
    }

    /** Ends this connection once: detaches the source, closes the socket, schedules the next attempt. */
    void fail(String reason, boolean detached) {
      if (failed) {
        return;
      }
      if (reader != null) {
        reader.endOfStream(); // a frame cut off by this failure is counted TRUNCATED, never published
      }
      failed = true;
      if (channel != null) {
        channel.close();
      }
      if (camera != null) {
        if (!detached) {
          camera.detach(reason);
        }
        log.debug("pull camera '{}': disconnected from {} after {} frames: {}", cameraId, safeUrl, frames, reason);
      } else if (closed) {
        log.debug("pull camera '{}': stopped before connecting to {}", cameraId, safeUrl);
      } else if (!reason.equals(lastFailure)) {
        log.info("pull camera '{}': {} ({}); retrying with backoff", cameraId, reason, safeUrl);
      } else {
        log.debug("pull camera '{}': {} ({}) again", cameraId, reason, safeUrl);
      }
      lastFailure = camera == null ? reason : null;
      if (connection == this) {
        connection = null;
        scheduleRetry();
      }
    }
  }

  /** The hub's view of a pull connection: no control, not on-demand. */
  private final class PullSource implements CameraSource {
    private final Connection connection;

    PullSource(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void onDetached(DetachReason reason, String message) {
      // Another source took the id (we retry later, with backoff), or the relay is shutting down (no retry).
      try {
        loop.execute(() -> {
          if (reason == DetachReason.SHUTTING_DOWN) {
            closed = true;
          }
          connection.fail("closed by the relay: " + message, true);
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // The event loop is already gone, and the connection with it.
      }
    }
  }

  static String safe(URI url) {
    return CameraSpec.safeUrl(url);
  }

  private static String hostOf(URI url) {
    String host = url.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static int portOf(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root
        && !(root instanceof ConnectException) && !(root instanceof SSLException)) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (root instanceof IOException && message != null) {
      return message;
    }
    return root.getClass().getSimpleName() + (message != null ? ": " + message : "");
  }
}
