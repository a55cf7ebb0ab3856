package dev.camrelay.relay.internal.port.http;

import com.google.gson.JsonObject;
import dev.camrelay.relay.internal.auth.AdminAuth;
import dev.camrelay.relay.internal.auth.AuthFailures;
import dev.camrelay.relay.internal.auth.Tokens;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The admin token check every admin API request passes first, on its head (before any body is read):
 *
 * <pre>
 * admin API off (no admin token)  403 {"error": "the admin API is off ..."}
 * address refused (AuthFailures)  429 with Retry-After, the token unchecked
 * no token / wrong token          401 (WWW-Authenticate: Bearer) / 403, a wrong token counted against the address
 * </pre>
 *
 * The token comes as {@code Authorization: Bearer} or {@code ?token=}; it is never echoed or logged. Refusals close
 * the connection.
 */
final class AdminGate {
  private final AdminAuth admin;
  private final AuthFailures failures;

  AdminGate(AdminAuth admin, AuthFailures failures) {
    this.admin = admin;
    this.failures = failures;
  }

  /** True when the request may go on; otherwise it has been answered. */
  boolean admit(HttpExchange exchange) {
    HttpRequest request = exchange.request();
    if (!admin.enabled()) {
      exchange.respond(error(HttpResponseStatus.FORBIDDEN, "the admin API is off: start the relay with an admin"
          + " token (--admin-token or CAMRELAY_ADMIN_TOKEN) to change cameras while it runs"), false);
      return false;
    }
    long wait = failures.refusedForSeconds(exchange.channel().remoteAddress());
    if (wait > 0) {
      exchange.refuse("admin-throttled", request.method() + " " + exchange.loggableTarget(),
          "too many failed token attempts", Responses.throttled(wait), false);
      return false;
    }
    String token = Tokens.of(request.headers().get(HttpHeaderNames.AUTHORIZATION), null,
        new QueryStringDecoder(request.uri()).parameters());
    if (admin.allowed(token)) {
      return true;
    }
    if (token != null) {
      failures.failed(exchange.channel().remoteAddress());
    }
    FullHttpResponse response = token == null
        ? error(HttpResponseStatus.UNAUTHORIZED, "the admin token is required: send 'Authorization: Bearer <token>'")
        : error(HttpResponseStatus.FORBIDDEN, "the admin token is not valid");
    if (token == null) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"camrelay admin\"");
    }
    exchange.refuse("admin-auth", request.method() + " " + exchange.loggableTarget(),
        token == null ? "no admin token" : "wrong admin token", response, false);
    return false;
  }

  /** A JSON error answer {@code {"error": message}}. */
  static FullHttpResponse error(HttpResponseStatus status, String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return Responses.json(status, o.toString());
  }
}
