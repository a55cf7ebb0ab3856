package dev.camrelay.relay.internal.port.http;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.internal.auth.Tokens;
import dev.camrelay.relay.internal.output.mjpeg.MjpegParts;
import dev.camrelay.relay.internal.output.mjpeg.MjpegViewer;
import dev.camrelay.relay.internal.port.http.PrometheusText.Type;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one HTTP connection. Routes:
 *
 * <pre>
 * /healthz                      200 "ok"                          no auth
 * /api/info                     JSON for the web page             no auth (tells the page whether to ask for a token)
 * /, /index.html, /app.js, ...  the viewer page's files           no auth (the page must load to ask for a token)
 * /api/cameras                  JSON list of camera stats         viewer token if required
 * /metrics                      Prometheus text 0.0.4             viewer token if required
 * /cam/{id}/stream.mjpeg        multipart/x-mixed-replace stream  viewer token if required
 * /cam/{id}/snapshot.jpg        the latest frame                  viewer token if required
 * </pre>
 *
 * Only GET and HEAD are served (405 otherwise). Request bodies are never read: a request announcing one is answered
 * and the connection closed.
 */
final class HttpRequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
  private static final String STREAM = "stream.mjpeg";
  private static final String SNAPSHOT = "snapshot.jpg";

  private final HttpFrontend frontend;

  private boolean closing;
  private MjpegViewer viewer;
  private MjpegParts viewerParts;

  HttpRequestHandler(HttpFrontend frontend) {
    this.frontend = frontend;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request && !closing) {
        handle(ctx, request);
      }
      // Request bodies (HttpContent) are never needed and are dropped.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void handle(ChannelHandlerContext ctx, HttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      refuseUndecodable(ctx, request);
      return;
    }
    String refused = ctx.channel().attr(ConnectionGate.REFUSED).get();
    if (refused != null) {
      frontend.refusals().info("limit " + client(ctx),
          "refused HTTP connection from " + ctx.channel().remoteAddress() + ": " + refused);
      FullHttpResponse response = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, refused);
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
      respond(ctx, request, response, false);
      return;
    }
    boolean head = HttpMethod.HEAD.equals(request.method());
    if (!head && !HttpMethod.GET.equals(request.method())) {
      FullHttpResponse response = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "method " + request.method() + " is not allowed here; use GET or HEAD");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      respond(ctx, request, response, false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !announcesBody(request);
    String uri = request.uri();
    String path = rawPathOf(uri);
    if (log.isDebugEnabled()) {
      log.debug("{} {} from {}", request.method(), Responses.loggable(uri), ctx.channel().remoteAddress());
    }

    if (path.equals("/healthz")) {
      respond(ctx, request, Responses.text(HttpResponseStatus.OK, "ok"), keepAlive);
    } else if (path.equals("/api/info")) {
      respond(ctx, request, Responses.json(HttpResponseStatus.OK, frontend.gson().toJson(frontend.info())), keepAlive);
    } else if (path.equals("/api/cameras") || path.equals("/metrics") || path.startsWith("/cam/")) {
      if (!authorized(ctx, request, uri, keepAlive)) {
        return;
      }
      if (path.equals("/api/cameras")) {
        respond(ctx, request, Responses.json(HttpResponseStatus.OK, camerasJson()), keepAlive);
      } else if (path.equals("/metrics")) {
        respond(ctx, request, Responses.bytes(HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE,
            Unpooled.copiedBuffer(metrics(), StandardCharsets.UTF_8)), keepAlive);
      } else {
        camera(ctx, request, path, keepAlive);
      }
    } else if (path.startsWith("/api/")) {
      respond(ctx, request, Responses.json(HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such API endpoint\"}"),
          keepAlive);
    } else {
      staticAsset(ctx, request, path, keepAlive);
    }
  }

  // ---- auth

  private boolean authorized(ChannelHandlerContext ctx, HttpRequest request, String uri, boolean keepAlive) {
    if (!frontend.auth().viewerAuthRequired()) {
      return true;
    }
    String token = Tokens.of(request.headers().get(HttpHeaderNames.AUTHORIZATION), null,
        new QueryStringDecoder(uri).parameters());
    if (frontend.auth().viewerAllowed(token)) {
      return true;
    }
    frontend.refusals().info("auth " + client(ctx), "refused " + Responses.loggable(uri) + " from "
        + ctx.channel().remoteAddress() + ": " + (token == null ? "no viewer token" : "wrong viewer token"));
    FullHttpResponse response = Responses.text(HttpResponseStatus.UNAUTHORIZED, token == null
        ? "a viewer token is required: send 'Authorization: Bearer <token>' or add ?token=<token> to the URL"
        : "the viewer token is not valid");
    response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE,
        token == null ? "Bearer realm=\"camrelay\"" : "Bearer realm=\"camrelay\", error=\"invalid_token\"");
    respond(ctx, request, response, keepAlive);
    return false;
  }

  // ---- cameras

  private void camera(ChannelHandlerContext ctx, HttpRequest request, String path, boolean keepAlive) {
    String[] parts = path.substring("/cam/".length()).split("/", -1);
    if (parts.length != 2 || !(parts[1].equals(STREAM) || parts[1].equals(SNAPSHOT))) {
      respond(ctx, request, Responses.text(HttpResponseStatus.NOT_FOUND,
          "not found; camera URLs are /cam/{id}/" + STREAM + " and /cam/{id}/" + SNAPSHOT), keepAlive);
      return;
    }
    String id = parts[0];
    if (!CameraId.isValid(id)) {
      respond(ctx, request, Responses.text(HttpResponseStatus.BAD_REQUEST,
          "invalid camera id: want " + CameraId.RULE), keepAlive);
      return;
    }
    Optional<CameraStats> camera = frontend.hub().camera(id);
    if (camera.isEmpty() && !frontend.expectsCamera(id)) {
      respond(ctx, request, Responses.text(HttpResponseStatus.NOT_FOUND, "no camera '" + id + "' on this relay"),
          keepAlive);
      return;
    }
    if (parts[1].equals(SNAPSHOT)) {
      snapshot(ctx, request, id, frontend.hub().latestFrame(id).map(CameraFrame::jpeg).orElse(null), keepAlive);
    } else {
      stream(ctx, request, id);
    }
  }

  private void snapshot(ChannelHandlerContext ctx, HttpRequest request, String id, JpegFrame frame,
      boolean keepAlive) {
    if (frame == null) {
      FullHttpResponse response = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
          "camera '" + id + "' has not sent a frame yet");
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      respond(ctx, request, response, keepAlive);
      return;
    }
    respond(ctx, request, Responses.bytes(HttpResponseStatus.OK, "image/jpeg",
        Unpooled.wrappedBuffer(frame.asByteBuffer())), keepAlive);
  }

  private void stream(ChannelHandlerContext ctx, HttpRequest request, String id) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, frontend.mjpegWriter().contentType())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate, max-age=0")
        .set(HttpHeaderNames.PRAGMA, HttpHeaderValues.NO_CACHE)
        .set(HttpHeaderNames.EXPIRES, "0")
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    closing = true;
    if (HttpMethod.HEAD.equals(request.method())) {
      FullHttpResponse headOnly = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.EMPTY_BUFFER, head.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
      ctx.writeAndFlush(headOnly).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    dev.camrelay.relay.OutputHandle handle;
    try {
      viewerParts = frontend.mjpegParts().acquire(id);
      viewer = new MjpegViewer(ctx.channel(), id, viewerParts, frontend.mjpegCounters());
      handle = frontend.hub().attachOutput(id, viewer);
    } catch (RuntimeException e) {
      log.warn("could not attach MJPEG viewer {} to camera '{}': {}", ctx.channel().remoteAddress(), id,
          e.getMessage());
      stopViewer();
      closing = false;
      respond(ctx, request, Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
          "cannot watch camera '" + id + "': " + e.getMessage()), false);
      return;
    }
    // The head goes out before the first frame: a frame handed over meanwhile only queues a write on this loop.
    ctx.writeAndFlush(head);
    handle.requestLatest();
    log.info("MJPEG viewer {} watching camera '{}'", ctx.channel().remoteAddress(), id);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (viewer != null && ctx.channel().isWritable()) {
      viewer.writabilityChanged();
    }
    if (viewer == null && ctx.channel().isWritable() && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true); // the client caught up: read its next requests
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (viewer != null) {
      String reason = viewer.closeReason() != null ? viewer.closeReason() : "connection closed";
      log.info("MJPEG viewer {} of camera '{}' left ({}): {} frames sent, {} skipped",
          ctx.channel().remoteAddress(), viewer.cameraId(), reason, viewer.framesSent(), viewer.framesSkipped());
      stopViewer();
    }
    super.channelInactive(ctx);
  }

  private void stopViewer() {
    if (viewer != null) {
      viewer.stop();
      frontend.mjpegParts().release(viewer.cameraId(), viewerParts);
      viewer = null;
      viewerParts = null;
    }
  }

  private List<CameraStats> sortedStats() {
    return frontend.hub().cameras();
  }

  private String camerasJson() {
    return frontend.gson().toJson(Map.of("cameras", sortedStats()));
  }

  private String metrics() {
    List<CameraStats> cameras = sortedStats();
    PrometheusText text = new PrometheusText()
        .family("camrelay_camera_connected", Type.GAUGE, "1 while a source is attached to the camera, else 0.")
        .family("camrelay_camera_frames_in_total", Type.COUNTER, "Complete JPEG frames received from the camera.")
        .family("camrelay_camera_frames_dropped_total", Type.COUNTER,
            "Frames from the camera dropped as invalid, oversized or truncated.")
        .family("camrelay_camera_viewers", Type.GAUGE, "Viewers watching the camera (WebSocket and MJPEG).")
        .family("camrelay_camera_fps", Type.GAUGE, "Frames per second received over the last two seconds.")
        .family("camrelay_camera_bitrate_kbps", Type.GAUGE, "Kilobits per second received over the last two seconds.")
        .family("camrelay_camera_last_frame_age_seconds", Type.GAUGE,
            "Seconds since the camera's latest frame (NaN before the first frame).")
        .family("camrelay_cameras", Type.GAUGE, "Cameras known to the relay.")
        .family("camrelay_cameras_connected", Type.GAUGE, "Cameras with a source attached.")
        .family("camrelay_viewers", Type.GAUGE, "Viewers of all cameras.")
        .family("camrelay_connections", Type.GAUGE,
            "Open connections counted against the relay's connection limit (all ports sharing it).")
        .family("camrelay_http_connections", Type.GAUGE, "Open connections on the HTTP port.")
        .family("camrelay_http_mjpeg_viewers", Type.GAUGE, "MJPEG stream viewers on the HTTP port.")
        .family("camrelay_http_mjpeg_frames_sent_total", Type.COUNTER, "Frames written to MJPEG viewers.")
        .family("camrelay_http_mjpeg_frames_skipped_total", Type.COUNTER,
            "Frames MJPEG viewers skipped because a newer frame replaced one still waiting (slow viewers).");
    int connected = 0;
    int viewers = 0;
    for (CameraStats c : cameras) {
      String[] label = {"camera", c.id()};
      text.sample("camrelay_camera_connected", c.connected() ? 1 : 0, label)
          .sample("camrelay_camera_frames_in_total", c.framesIn(), label)
          .sample("camrelay_camera_frames_dropped_total", c.framesDropped(), label)
          .sample("camrelay_camera_viewers", c.viewers(), label)
          .sample("camrelay_camera_fps", c.fps(), label)
          .sample("camrelay_camera_bitrate_kbps", c.bitrateKbps(), label)
          .sample("camrelay_camera_last_frame_age_seconds",
              c.lastFrameAgeMs() < 0 ? Double.NaN : c.lastFrameAgeMs() / 1000.0, label);
      connected += c.connected() ? 1 : 0;
      viewers += c.viewers();
    }
    text.sample("camrelay_cameras", cameras.size())
        .sample("camrelay_cameras_connected", connected)
        .sample("camrelay_viewers", viewers)
        .sample("camrelay_connections", frontend.gate().relayTotal())
        .sample("camrelay_http_connections", frontend.gate().open())
        .sample("camrelay_http_mjpeg_viewers", frontend.mjpegViewers())
        .sample("camrelay_http_mjpeg_frames_sent_total", frontend.mjpegCounters().sent.sum())
        .sample("camrelay_http_mjpeg_frames_skipped_total", frontend.mjpegCounters().skipped.sum());
    return text.text();
  }

  // ---- static files

  private void staticAsset(ChannelHandlerContext ctx, HttpRequest request, String path, boolean keepAlive) {
    StaticAssets assets = frontend.assets();
    if (assets == null) {
      respond(ctx, request, Responses.text(HttpResponseStatus.NOT_FOUND,
          "the viewer page is turned off on this relay; streams are at /cam/{id}/" + STREAM), keepAlive);
      return;
    }
    StaticAssets.Lookup lookup = assets.lookup(path);
    switch (lookup.status()) {
      case BAD_PATH -> {
        frontend.refusals().info("path " + client(ctx), "refused path " + Responses.loggable(request.uri())
            + " from " + ctx.channel().remoteAddress() + ": " + lookup.reason());
        respond(ctx, request, Responses.text(HttpResponseStatus.BAD_REQUEST, "bad path: " + lookup.reason()),
            keepAlive);
      }
      case NOT_FOUND -> respond(ctx, request, Responses.text(HttpResponseStatus.NOT_FOUND, path.equals("/")
          ? "the viewer page is not installed (viewer-static is not on the classpath); streams are at /cam/{id}/"
              + STREAM
          : "not found"), keepAlive);
      case FOUND -> {
        StaticAssets.Asset asset = lookup.asset();
        String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        FullHttpResponse response;
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
          response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        } else {
          response = Responses.bytes(HttpResponseStatus.OK, asset.contentType(), Unpooled.wrappedBuffer(asset.bytes()));
        }
        // Assets are not fingerprinted, so browsers must revalidate (cheap: 304 by ETag) to see an upgrade at once.
        response.headers()
            .set(HttpHeaderNames.ETAG, asset.etag())
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
            .set("Referrer-Policy", "no-referrer");
        respond(ctx, request, response, keepAlive);
      }
      default -> throw new IllegalStateException();
    }
  }

  // ---- plumbing

  private void refuseUndecodable(ChannelHandlerContext ctx, HttpRequest request) {
    Throwable cause = request.decoderResult().cause();
    HttpResponseStatus status;
    if (cause instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    } else if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
    } else {
      status = HttpResponseStatus.BAD_REQUEST;
    }
    // Netty's message may quote the offending bytes (e.g. an "invalid version" with terminal escapes): printable only.
    String why = cause == null ? "undecodable" : Responses.loggable(String.valueOf(cause.getMessage()));
    frontend.refusals().info("undecodable " + client(ctx), "refused undecodable HTTP request from "
        + ctx.channel().remoteAddress() + ": " + why);
    respond(ctx, request, Responses.text(status, "bad request: " + why), false);
  }

  private void respond(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response.headers(), request.protocolVersion(), keepAlive);
    FullHttpResponse toSend = response;
    if (HttpMethod.HEAD.equals(request.method()) && response.content().isReadable()) {
      // HEAD: the same headers (Content-Length included), no body.
      toSend = response.replace(Unpooled.EMPTY_BUFFER);
      response.release();
    }
    ChannelFuture written = ctx.writeAndFlush(toSend);
    if (!keepAlive) {
      closing = true;
      written.addListener(ChannelFutureListener.CLOSE);
    } else if (!ctx.channel().isWritable()) {
      // A client pipelining requests without reading the answers: stop reading until it does, or every answer
      // would wait in memory without bound.
      ctx.channel().config().setAutoRead(false);
    }
  }

  private static boolean announcesBody(HttpRequest request) {
    return HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
  }

  /** The raw (still percent-encoded) path of a request target, origin-form or absolute-form. */
  static String rawPathOf(String uri) {
    String target = uri;
    int scheme = target.indexOf("://");
    if (scheme > 0 && scheme < 6 && target.substring(0, scheme).toLowerCase(Locale.ROOT).matches("https?")) {
      int slash = target.indexOf('/', scheme + 3);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int end = target.length();
    int q = target.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int hash = target.indexOf('#');
    if (hash >= 0 && hash < end) {
      end = hash;
    }
    return target.substring(0, end);
  }

  private static String client(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet
        ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof SSLException) {
      log.info("TLS failed with {}: {}", ctx.channel().remoteAddress(), root.getMessage());
    } else if (root instanceof IOException) {
      log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), root.getMessage());
    } else {
      log.warn("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), root.toString());
    }
    ctx.close();
  }
}
