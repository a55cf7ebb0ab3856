package dev.camrelay.relay.internal.port.rtsp;

import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.internal.auth.AuthFailures;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.auth.ViewerAccess;
import dev.camrelay.relay.internal.output.rtsp.InterleavedSink;
import dev.camrelay.relay.internal.output.rtsp.RtpFrames;
import dev.camrelay.relay.internal.output.rtsp.RtpFramesByCamera;
import dev.camrelay.relay.internal.output.rtsp.RtpSink;
import dev.camrelay.relay.internal.output.rtsp.RtspCounters;
import dev.camrelay.relay.internal.output.rtsp.RtspViewer;
import dev.camrelay.relay.internal.output.rtsp.SocketWriteGuard;
import dev.camrelay.relay.internal.output.rtsp.UdpSink;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP client connection (RFC 2326) and its one session: OPTIONS, DESCRIBE (an {@link Sdp}), SETUP with RTP
 * interleaved on this connection ({@code RTP/AVP/TCP;unicast;interleaved=0-1}) or over unicast UDP
 * ({@code RTP/AVP;unicast;client_port=...}, from the port's shared {@link UdpPorts}), PLAY (attaches an
 * {@link RtspViewer} to the camera), PAUSE (detaches it), TEARDOWN, and GET_PARAMETER / SET_PARAMETER as keep-alive.
 * The session ends with the connection, or when nothing arrives for the session timeout: requests and the client's
 * RTCP reports both count, interleaved on the connection or over UDP from the client's RTCP port (a UDP client that
 * went away without TEARDOWN and left its connection open is dropped then).
 *
 * <p>Auth, when a viewer token is set: Digest or Basic with the token as password ({@link RtspDigest}; share links
 * with Basic only), or {@code ?token=} on the URL; once a request on a connection carried a valid token, the
 * connection is trusted for the cameras that token opens (clients drop the query from the control URLs they build),
 * and a connection that proved a share link is closed when the link expires. OPTIONS needs no token. Missing or
 * wrong: 401 with a Digest and a Basic challenge. Tokens are never logged.
 *
 * <p>Event loop only.
 */
final class RtspConnection extends SimpleChannelInboundHandler<Object> {
  private static final Logger log = LoggerFactory.getLogger(RtspConnection.class);
  private static final String PUBLIC =
      "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER";

  /** Receiver reports over UDP reset the session timeout at most this often. */
  private static final long RTCP_KEEP_ALIVE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final CameraHub hub;
  private final Authenticator auth;
  private final RtspDigest digest;
  private final String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong())
      + Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final RtpFramesByCamera rtpFrames;
  private final RtspCounters counters;
  private final LogLimiter logs;
  private final String defaultCameraId;
  private final long timeoutSeconds;
  private final ChannelOutboundInvoker rawOut;
  private final UdpPorts udp;
  /** What the token this connection proved opens (clients drop ?token= from the URLs they build); null: none yet. */
  private ViewerAccess authorized;
  /** The close at the end of the share link this connection proved, or null. */
  private ScheduledFuture<?> expiry;
  private String remote = "?";

  // The session, once SET UP.
  private String sessionId;
  private RtspViewer viewer;
  private RtpFrames frames;
  private boolean framesInterleaved;
  private boolean playing;
  /** Over UDP: the client's RTCP address, whose receiver reports keep the session alive, and what they run. */
  private InetSocketAddress clientRtcp;
  private Runnable rtcpHeard;
  private boolean attachAfterResponse;

  RtspConnection(CameraHub hub, Authenticator auth, RtspDigest digest, RtpFramesByCamera rtpFrames, RtspCounters counters,
      LogLimiter logs,
      String defaultCameraId, Duration sessionTimeout, ChannelOutboundInvoker rawOut, UdpPorts udp) {
    this.hub = hub;
    this.auth = auth;
    this.digest = digest;
    this.rtpFrames = rtpFrames;
    this.counters = counters;
    this.logs = logs;
    this.defaultCameraId = defaultCameraId;
    this.timeoutSeconds = Math.max(1, sessionTimeout.toSeconds());
    this.rawOut = rawOut;
    this.udp = udp;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress peer) {
      remote = peer.getAddress().getHostAddress() + ":" + peer.getPort();
    }
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest request) {
      handle(ctx, request);
    }
    // InterleavedPacket: the client's RTCP receiver reports; reading them kept the session alive.
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    HttpMethod method = request.method();
    FullHttpResponse response;
    if (method.equals(RtspMethods.OPTIONS)) {
      response = response(RtspResponseStatuses.OK);
      response.headers().set(RtspHeaderNames.PUBLIC, PUBLIC);
    } else {
      RtspTarget target = RtspTarget.of(request.uri(), defaultCameraId);
      if (target == null) {
        response = text(RtspResponseStatuses.BAD_REQUEST, "the request URL is not rtsp://host:port/{camera}");
      } else if ((response = refusal(ctx, request, target)) == null) {
        response = dispatch(ctx, request, method, target);
      }
    }
    String cseq = request.headers().get(RtspHeaderNames.CSEQ);
    if (cseq != null) {
      response.headers().set(RtspHeaderNames.CSEQ, cseq);
    }
    response.headers().set(RtspHeaderNames.SERVER, "camrelay");
    if (sessionId != null && !response.headers().contains(RtspHeaderNames.SESSION)
        && request.headers().contains(RtspHeaderNames.SESSION)) {
      response.headers().set(RtspHeaderNames.SESSION, sessionHeader());
    }
    ctx.writeAndFlush(response);
    if (attachAfterResponse) {
      attachAfterResponse = false;
      startPlaying();
    }
  }

  private FullHttpResponse dispatch(ChannelHandlerContext ctx, FullHttpRequest request, HttpMethod method,
      RtspTarget target) {
    if (method.equals(RtspMethods.DESCRIBE)) {
      return describe(ctx, target);
    }
    if (method.equals(RtspMethods.SETUP)) {
      return setup(ctx, request, target);
    }
    if (method.equals(RtspMethods.GET_PARAMETER) || method.equals(RtspMethods.SET_PARAMETER)) {
      return sessionMatches(request) ? response(RtspResponseStatuses.OK) : sessionNotFound();
    }
    if (method.equals(RtspMethods.PLAY) || method.equals(RtspMethods.PAUSE) || method.equals(RtspMethods.TEARDOWN)) {
      if (sessionId == null || !sessionMatches(request)) {
        return sessionNotFound();
      }
      FullHttpResponse ok = response(RtspResponseStatuses.OK);
      ok.headers().set(RtspHeaderNames.SESSION, sessionHeader());
      if (method.equals(RtspMethods.PLAY)) {
        attachAfterResponse = !playing; // attached once the response is out, so it precedes the first packet
        playing = true;
        ok.headers().set(RtspHeaderNames.RANGE, "npt=now-");
      } else if (method.equals(RtspMethods.PAUSE)) {
        stopPlaying("paused");
      } else {
        endSession("teardown");
      }
      return ok;
    }
    FullHttpResponse refused = text(RtspResponseStatuses.METHOD_NOT_ALLOWED, "method not supported");
    refused.headers().set(RtspHeaderNames.ALLOW, PUBLIC);
    return refused;
  }

  private FullHttpResponse describe(ChannelHandlerContext ctx, RtspTarget target) {
    CameraStats camera = target.validCamera() ? hub.camera(target.cameraId()).orElse(null) : null;
    if (camera == null) {
      return text(RtspResponseStatuses.NOT_FOUND, "no camera '" + target.cameraId() + "' on this relay");
    }
    String local = ctx.channel().localAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress() : "0.0.0.0";
    String sdp = Sdp.describe(camera, local, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    FullHttpResponse response = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.OK,
        Unpooled.copiedBuffer(sdp, StandardCharsets.UTF_8));
    response.headers()
        .set(RtspHeaderNames.CONTENT_TYPE, "application/sdp")
        .set(RtspHeaderNames.CONTENT_BASE, target.base())
        .setInt(RtspHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }

  private FullHttpResponse setup(ChannelHandlerContext ctx, FullHttpRequest request, RtspTarget target) {
    if (!target.validCamera()) {
      return text(RtspResponseStatuses.NOT_FOUND, "no camera '" + target.cameraId() + "' on this relay");
    }
    if (sessionId != null && !sessionMatches(request)) {
      return sessionNotFound();
    }
    RtspTransport transport = RtspTransport.choose(request.headers().get(RtspHeaderNames.TRANSPORT), udp != null);
    if (transport == null) {
      return text(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "this relay sends RTP over the RTSP connection"
          + " (RTP/AVP/TCP;unicast;interleaved=0-1)" + (udp != null ? " or unicast UDP (RTP/AVP;unicast;client_port=)"
          : ""));
    }
    if (viewer != null && !viewer.cameraId().equals(target.cameraId())) {
      return text(RtspResponseStatuses.AGGREGATE_OPERATION_NOT_ALLOWED, "one camera per session");
    }
    if (viewer == null) {
      framesInterleaved = transport.interleaved();
      frames = rtpFrames.acquire(target.cameraId(), framesInterleaved);
      viewer = new RtspViewer(ctx.channel(), sink(ctx, transport), target.cameraId(), frames, logs,
          counters);
      sessionId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).toUpperCase(Locale.ROOT);
    }
    FullHttpResponse ok = response(RtspResponseStatuses.OK);
    ok.headers()
        .set(RtspHeaderNames.TRANSPORT, (transport.interleaved()
            ? "RTP/AVP/TCP;unicast;interleaved=" + transport.rtp() + "-" + transport.rtcp()
            : "RTP/AVP;unicast;client_port=" + transport.rtp() + "-" + transport.rtcp() + ";server_port="
                + udp.rtpPort() + "-" + udp.rtcpPort())
            + ";ssrc=" + String.format("%08X", viewer.ssrc()))
        .set(RtspHeaderNames.SESSION, sessionHeader());
    return ok;
  }

  /** Where the client's packets go: this connection, or UDP to the client's address and ports. */
  private RtpSink sink(ChannelHandlerContext ctx, RtspTransport transport) {
    if (transport.interleaved()) {
      return new InterleavedSink(ctx.channel(), rawOut, ctx.pipeline().get(SocketWriteGuard.class), transport.rtp(),
          transport.rtcp());
    }
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    clientRtcp = new InetSocketAddress(client, transport.rtcp());
    long[] lastPassedOn = {System.nanoTime()}; // touched only by the UDP socket's event loop
    rtcpHeard = () -> {
      long now = System.nanoTime();
      if (now - lastPassedOn[0] < RTCP_KEEP_ALIVE_EVERY_NANOS) {
        return; // a flood of reports from the client's address queues no flood of tasks here
      }
      lastPassedOn[0] = now;
      ctx.executor().execute(() -> {
        IdleStateHandler idle = ctx.pipeline().get(IdleStateHandler.class);
        if (idle != null) {
          idle.resetReadTimeout(); // a receiver report keeps the session alive, like a request
        }
      });
    };
    udp.onRtcpFrom(clientRtcp, rtcpHeard);
    return new UdpSink(udp.rtp, udp.rtcp, new InetSocketAddress(client, transport.rtp()), clientRtcp);
  }

  private void startPlaying() {
    if (viewer == null) {
      return;
    }
    OutputHandle handle;
    try {
      handle = hub.attachOutput(viewer.cameraId(), viewer);
    } catch (RuntimeException e) {
      log.warn("could not attach RTSP client {} to camera '{}': {}", remote, viewer.cameraId(), e.getMessage());
      playing = false;
      return;
    }
    if (handle.camera().connected()) {
      handle.requestLatest();
    }
    log.info("RTSP client {} watching camera '{}' ({})", remote, viewer.cameraId(), viewer.transport());
  }

  private void stopPlaying(String why) {
    if (viewer != null && playing) {
      viewer.stop();
      log.info("RTSP client {} stopped watching camera '{}' ({}, {} frames sent)", remote, viewer.cameraId(), why,
          viewer.framesSent());
    }
    playing = false;
  }

  private void endSession(String why) {
    stopPlaying(why);
    if (clientRtcp != null) {
      udp.stopListening(clientRtcp, rtcpHeard);
      clientRtcp = null;
      rtcpHeard = null;
    }
    if (viewer != null) {
      rtpFrames.release(viewer.cameraId(), framesInterleaved, frames);
    }
    viewer = null;
    frames = null;
    sessionId = null;
  }

  /** 401 or 429 when the request may not watch; null when it may. */
  private FullHttpResponse refusal(ChannelHandlerContext ctx, FullHttpRequest request, RtspTarget target) {
    if (!auth.viewerAuthRequired() || authorized != null && authorized.mayView(target.cameraId())) {
      return null;
    }
    long wait = auth.failures().refusedForSeconds(ctx.channel().remoteAddress());
    if (wait > 0) {
      FullHttpResponse refused = text(HttpResponseStatus.TOO_MANY_REQUESTS, AuthFailures.refusal(wait));
      refused.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(wait));
      return refused;
    }
    String authorization = request.headers().get(RtspHeaderNames.AUTHORIZATION);
    boolean digestOffered = RtspDigest.isDigest(authorization);
    String token = digestOffered ? digest.verify(authorization, request.method().name(), nonce)
        : RtspCredentials.token(authorization, target.query());
    ViewerAccess access = digestOffered && token == null ? null : auth.viewerAccess(token);
    if (access != null && access.granted()) {
      if (!access.mayView(target.cameraId())) {
        return text(RtspResponseStatuses.FORBIDDEN, ViewerAccess.outOfScopeMessage(target.cameraId()));
      }
      authorized = access;
      closeAtExpiry(ctx, access.expiresAt());
      return null;
    }
    if (access != null && access.refusal() == ViewerAccess.Refusal.EXPIRED_SHARE_LINK) {
      token = null; // a genuine link that ended is no guess
    }
    if (digestOffered) {
      token = "digest"; // a wrong answer counts as a wrong token
    }
    if (token != null) {
      auth.failures().failed(ctx.channel().remoteAddress());
    }
    logs.warn("rtsp-auth:" + remote, "refused RTSP client " + remote + " for " + target + ": "
        + (token == null ? "no viewer token" : "wrong viewer token"));
    FullHttpResponse refused = text(RtspResponseStatuses.UNAUTHORIZED, token == null
        ? "a viewer token is required: rtsp://any-user:TOKEN@host:port/camera or ?token=TOKEN"
        : "the viewer token is not valid");
    refused.headers()
        .add(RtspHeaderNames.WWW_AUTHENTICATE, RtspDigest.challenge(nonce))
        .add(RtspHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + RtspDigest.REALM + "\"");
    return refused;
  }

  /**
   * Closes the connection (and with it the session and its RTP, over TCP or UDP) when the share link it proved ends,
   * as WebSocket and MJPEG streams end; a later token replaces the deadline.
   */
  private void closeAtExpiry(ChannelHandlerContext ctx, Instant expiresAt) {
    if (expiry != null) {
      expiry.cancel(false);
      expiry = null;
    }
    if (expiresAt != null) {
      long delayMs = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
      expiry = ctx.executor().schedule(() -> {
        log.info("RTSP client {}: share link expired; closing", remote);
        ctx.close();
      }, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  private boolean sessionMatches(FullHttpRequest request) {
    String given = request.headers().get(RtspHeaderNames.SESSION);
    if (given == null) {
      return sessionId == null || !request.method().equals(RtspMethods.SETUP);
    }
    int semicolon = given.indexOf(';');
    String id = (semicolon < 0 ? given : given.substring(0, semicolon)).trim();
    return id.equals(sessionId);
  }

  private String sessionHeader() {
    return sessionId + ";timeout=" + timeoutSeconds;
  }

  private static FullHttpResponse sessionNotFound() {
    return text(RtspResponseStatuses.SESSION_NOT_FOUND, "no such session on this connection");
  }

  private static FullHttpResponse response(HttpResponseStatus status) {
    return new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status);
  }

  private static FullHttpResponse text(HttpResponseStatus status, String message) {
    FullHttpResponse response = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status,
        Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
    response.headers()
        .set(RtspHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(RtspHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (viewer != null && ctx.channel().isWritable()) {
      // Later, not here: Netty can say this from inside a flush, under the connection's SocketWriteGuard, and the
      // viewer's lock must never be taken while holding that (a frame written from the hub's thread takes both in
      // the other order).
      RtspViewer v = viewer;
      ctx.executor().execute(v::pump);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      logs.info("rtsp-timeout:" + remote, "RTSP client " + remote + ": nothing received for " + timeoutSeconds
          + " s (session timeout); closing");
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (expiry != null) {
      expiry.cancel(false);
    }
    endSession("disconnected");
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      String why = cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage();
      logs.warn("rtsp-bad:" + remote, "RTSP client " + remote + " sent a bad request (" + why + "); closing");
      ctx.writeAndFlush(text(RtspResponseStatuses.BAD_REQUEST, "bad request: " + why))
          .addListener(f -> ctx.close());
      return;
    }
    ctx.close(); // connection reset and the like: the client is gone
  }
}
