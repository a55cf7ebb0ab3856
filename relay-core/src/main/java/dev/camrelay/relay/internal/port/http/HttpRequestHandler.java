package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.auth.AuthFailures;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.auth.Tokens;
import dev.camrelay.relay.internal.auth.ViewerAccess;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the requests of one HTTP connection to their routes ({@link RouteTable}), after the checks every path shares,
 * in this order: an undecodable request (400, or 414 / 431 for a request line / headers too long), a connection over
 * the limits ({@link ConnectionGate}: 503), a method other than GET and HEAD (405), and, where the table asks for it,
 * the viewer token ({@link Tokens}: 401 with {@code WWW-Authenticate: Bearer}; 429 with {@code Retry-After}, the
 * token unchecked, while the client's address is refused for wrong tokens, see {@link AuthFailures}; the
 * {@link ViewerAccess} it gives rides on the exchange for routes that serve only some cameras; 403 where the table
 * wants every camera and the token opens only some).
 *
 * <p>{@code POST /cam/{id}/clips} goes to {@link ClipPostRoute} (control token) before the method check.
 * <p>The admin API's {@code PUT} and {@code DELETE} ({@link AdminRoute}) and firmware uploads
 * ({@link FirmwareUploadRoute}) are the only requests whose body is read ({@link BodyRoute}), once {@link AdminGate}
 * admitted the head, up to the route's limit; they are answered once complete, and the connection closed after.
 * Other request bodies are never read: a request announcing one is answered and the connection closed. After an answer
 * that closes the connection further requests are ignored; a route may hand the connection to another handler (an
 * MJPEG stream), which then replaces this one. Failures are logged by {@link ConnectionErrors}, last in the pipeline.
 */
final class HttpRequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

  private final HttpFrontend frontend;
  private boolean closing;
  /** An admin request whose body is still arriving, or null; the route that answers it and its body so far. */
  private HttpExchange admin;
  private BodyRoute adminBodyRoute;
  private ByteArrayOutputStream adminBody;

  HttpRequestHandler(HttpFrontend frontend) {
    this.frontend = frontend;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request && !closing) {
        HttpExchange exchange = new HttpExchange(ctx, request, frontend.refusals());
        handle(exchange);
        closing = exchange.closing();
      }
      if (msg instanceof HttpContent content && admin != null) {
        receiveAdminBody(content);
      }
      // Other request bodies (HttpContent) are never needed and are dropped.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void handle(HttpExchange exchange) {
    HttpRequest request = exchange.request();
    if (!request.decoderResult().isSuccess()) {
      refuseUndecodable(exchange);
      return;
    }
    String refused = exchange.channel().attr(ConnectionGate.REFUSED).get();
    if (refused != null) {
      FullHttpResponse response = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, refused);
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
      exchange.refuse("limit", "HTTP connection", refused, response, false);
      return;
    }
    BodyRoute bodyRoute = AdminRoute.answers(request, exchange.path()) ? frontend.adminRoute()
        : FirmwareUploadRoute.answers(request, exchange.path()) ? frontend.firmwareUploadRoute() : null;
    if (bodyRoute != null) {
      if (!frontend.adminGate().admit(exchange)) {
        return;
      }
      if (HttpUtil.getContentLength(request, 0L) > bodyRoute.maxBody()) {
        refuseTooLarge(exchange, bodyRoute.maxBody());
      } else {
        admin = exchange; // answered once the body is complete
        adminBodyRoute = bodyRoute;
        adminBody = new ByteArrayOutputStream();
        if (HttpUtil.is100ContinueExpected(request)) {
          exchange.channel().writeAndFlush(
              new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        // The request head timeout stopped at the head; a body that never completes must not hold the connection.
        exchange.channel().eventLoop().schedule(() -> {
          if (admin == exchange) {
            admin = null;
            closing = true;
            exchange.respond(Responses.json(HttpResponseStatus.REQUEST_TIMEOUT,
                "{\"error\":\"the request body did not arrive in time\"}"), false);
          }
        }, bodyRoute.bodyTimeout(frontend.bodyTimeout()).toMillis(), TimeUnit.MILLISECONDS);
      }
      return;
    }
    if (ClipPostRoute.answers(request, exchange.path())) {
      frontend.clipPostRoute().handle(exchange);
      return;
    }
    if (!exchange.isHead() && !HttpMethod.GET.equals(request.method())) {
      FullHttpResponse response = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
          "method " + request.method() + " is not allowed here; use GET or HEAD");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      exchange.respond(response, false);
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug("{} {} from {}", request.method(), exchange.loggableTarget(),
          Addresses.of(exchange.channel().remoteAddress()));
    }
    RouteTable.Match match = frontend.routes().find(exchange.path());
    if (match.access() != RouteTable.Access.OPEN && !authorized(exchange, match.access())) {
      return;
    }
    match.route().handle(exchange);
  }

  private void receiveAdminBody(HttpContent content) {
    HttpExchange exchange = admin;
    ByteBuf bytes = content.content();
    if (adminBody.size() + bytes.readableBytes() > adminBodyRoute.maxBody()) {
      admin = null;
      refuseTooLarge(exchange, adminBodyRoute.maxBody());
      closing = true;
      return;
    }
    byte[] chunk = new byte[bytes.readableBytes()];
    bytes.readBytes(chunk);
    adminBody.write(chunk, 0, chunk.length);
    if (content instanceof LastHttpContent) {
      admin = null;
      adminBodyRoute.handle(exchange, adminBody.toByteArray());
      adminBody = null;
      closing = true;
    }
  }

  private static void refuseTooLarge(HttpExchange exchange, int max) {
    exchange.respond(AdminGate.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        "the body is larger than " + max + " bytes, the most this request takes"), false);
  }

  private boolean authorized(HttpExchange exchange, RouteTable.Access needed) {
    Authenticator auth = frontend.auth();
    if (!auth.viewerAuthRequired()) {
      return true;
    }
    long wait = auth.failures().refusedForSeconds(exchange.channel().remoteAddress());
    if (wait > 0) {
      exchange.refuse("auth-throttled", exchange.loggableTarget(), "too many failed token attempts",
          Responses.throttled(wait), false);
      return false;
    }
    HttpRequest request = exchange.request();
    String token = Tokens.of(request.headers().get(HttpHeaderNames.AUTHORIZATION), null,
        new QueryStringDecoder(request.uri()).parameters());
    ViewerAccess access = auth.viewerAccess(token);
    if (!access.granted()) {
      if (access.refusal() == ViewerAccess.Refusal.WRONG_TOKEN) {
        auth.failures().failed(exchange.channel().remoteAddress());
      }
      FullHttpResponse response = Responses.text(HttpResponseStatus.UNAUTHORIZED, access.refusalMessage());
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE,
          token == null ? "Bearer realm=\"camrelay\"" : "Bearer realm=\"camrelay\", error=\"invalid_token\"");
      exchange.refuse("auth", exchange.loggableTarget(), access.refusal().logText(), response, exchange.keepAlive());
      return false;
    }
    if (needed == RouteTable.Access.EVERY_CAMERA && !access.everyCamera()) {
      exchange.refuse("scope", exchange.loggableTarget(), "viewer token for some cameras only",
          Responses.text(HttpResponseStatus.FORBIDDEN, "this token opens only some cameras; "
              + exchange.path() + " needs the viewer token"), exchange.keepAlive());
      return false;
    }
    exchange.viewerAccess(access);
    return true;
  }

  private static void refuseUndecodable(HttpExchange exchange) {
    Throwable cause = exchange.request().decoderResult().cause();
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
    exchange.refuse("undecodable", "undecodable HTTP request", why, Responses.text(status, "bad request: " + why),
        false);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable() && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true); // the client caught up: read its next requests
    }
    super.channelWritabilityChanged(ctx);
  }
}
