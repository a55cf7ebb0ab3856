package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.auth.ViewerAccess;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One request on one HTTP connection and the ways to answer it, so that every route answers by the same rules:
 *
 * <ul>
 *   <li>{@link #respond} sets {@code Connection} from the keep-alive decision (the client's wish, and never after a
 *       request announcing a body, which is not read), sends the headers only for HEAD, closes the connection after
 *       the response when not kept alive, and stops reading while a pipelining client does not read its answers;</li>
 *   <li>{@link #refuse} does the same after logging why, at most once per client and kind per 10 s;</li>
 *   <li>{@link #handOver} gives the connection to another channel handler (an MJPEG stream) for good.</li>
 * </ul>
 *
 * <p>Event loop only. Limits: one answer per exchange; after a response that closes the connection, or a hand-over,
 * the connection's request handler reads no further requests.
 */
public final class HttpExchange {
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final LogLimiter refusals;
  private final String path;
  private final boolean keepAlive;
  private boolean closing;
  private ViewerAccess viewerAccess = ViewerAccess.ALL;

  HttpExchange(ChannelHandlerContext ctx, HttpRequest request, LogLimiter refusals) {
    this.ctx = ctx;
    this.request = request;
    this.refusals = refusals;
    this.path = rawPathOf(request.uri());
    this.keepAlive = HttpUtil.isKeepAlive(request) && !announcesBody(request);
  }

  public HttpRequest request() {
    return request;
  }

  /** The raw (still percent-encoded) path of the request target, without query and fragment. */
  public String path() {
    return path;
  }

  public boolean isHead() {
    return HttpMethod.HEAD.equals(request.method());
  }

  /** Whether the connection may stay open after the response. */
  public boolean keepAlive() {
    return keepAlive;
  }

  /** The cameras the request's token opens (every camera on open routes and relays without viewer tokens). */
  public ViewerAccess viewerAccess() {
    return viewerAccess;
  }

  void viewerAccess(ViewerAccess access) {
    this.viewerAccess = access;
  }

  public Channel channel() {
    return ctx.channel();
  }

  /** Sends a complete response; the connection stays open if {@link #keepAlive()}. */
  public void respond(FullHttpResponse response) {
    respond(response, keepAlive);
  }

  /** Sends a complete response, the headers only for HEAD; closes the connection after it unless {@code keepAlive}. */
  public void respond(FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response.headers(), request.protocolVersion(), keepAlive);
    FullHttpResponse toSend = response;
    if (isHead() && response.content().isReadable()) {
      // HEAD: the same headers (Content-Length included), no body.
      toSend = response.replace(Unpooled.EMPTY_BUFFER);
      response.release();
    }
    if (!keepAlive) {
      sendAndClose(toSend);
      return;
    }
    ctx.writeAndFlush(toSend);
    if (!ctx.channel().isWritable()) {
      // A client pipelining requests without reading the answers: stop reading until it does, or every answer
      // would wait in memory without bound. HttpRequestHandler reads again once the channel is writable.
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Writes {@code message} as it is and closes the connection once it is out. */
  public void sendAndClose(Object message) {
    closing = true;
    ctx.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Replaces the request handler with {@code handler} in the connection's pipeline: from now on the connection is
   * {@code handler}'s (its inbound bytes, writability and close), and no further request on it is answered here.
   * A connection opened with a share link is closed when the link expires.
   */
  public void handOver(String name, ChannelHandler handler) {
    closing = true;
    ctx.pipeline().replace(ctx.handler(), name, handler);
    Instant expiresAt = viewerAccess.expiresAt();
    if (expiresAt != null) {
      Channel channel = ctx.channel();
      long delayMs = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
      Runnable close = channel::close; // a share link's stream ends with the link
      ScheduledFuture<?> expiry = channel.eventLoop().schedule(close, delayMs, TimeUnit.MILLISECONDS);
      channel.closeFuture().addListener(f -> expiry.cancel(false));
    }
  }

  /**
   * Logs "refused {what} from {address}: {why}" (at most once per client and {@code kind} per 10 s; {@code what} and
   * {@code why} must be log-safe) and sends {@code response}.
   */
  void refuse(String kind, String what, String why, FullHttpResponse response, boolean keepAlive) {
    refusals.info(kind + " " + client(), "refused " + what + " from " + ctx.channel().remoteAddress() + ": " + why);
    respond(response, keepAlive);
  }

  /** The request target fit for a log line: path only, printable, bounded (tokens travel in the query). */
  String loggableTarget() {
    return Responses.loggable(request.uri());
  }

  /** Whether an answer so far closes the connection (or handed it over). */
  boolean closing() {
    return closing;
  }

  private String client() {
    return Addresses.ipOf(ctx.channel().remoteAddress());
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
}
