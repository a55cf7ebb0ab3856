package dev.camrelay.relay.internal.port.http;

import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.auth.Tokens;
import dev.camrelay.relay.internal.past.Past;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * {@code POST /cam/{id}/clips?before=10s&after=20s}: saves a pre-event clip, for automations (a Home Assistant
 * motion sensor's {@code rest_command}). It changes what is on disk, so it takes the control token (like camera
 * control; with no tokens at all and a loopback-only relay, anyone local), as {@code Authorization: Bearer} or
 * {@code ?token=}:
 *
 * <pre>
 * address refused (AuthFailures)   429 with Retry-After, the token unchecked
 * no token / wrong token          401 (WWW-Authenticate: Bearer) / 403; a wrong one counts as a failure
 * invalid id / unknown camera     400 / 404
 * otherwise                       {@link Past#saveClip}: 202 with the clip's name and URL
 * </pre>
 *
 * A request body, if any, is not read (the parameters are in the query); the connection is closed after the answer.
 */
final class ClipPostRoute {
  private static final String SUFFIX = "/clips";

  private final CameraHub hub;
  private final Authenticator auth;
  private final Past past;

  ClipPostRoute(CameraHub hub, Authenticator auth, Past past) {
    this.hub = hub;
    this.auth = auth;
    this.past = past;
  }

  /** Whether this route answers the request: a POST to {@code /cam/{id}/clips}. */
  static boolean answers(HttpRequest request, String path) {
    return HttpMethod.POST.equals(request.method()) && path.startsWith(CameraRoutes.PREFIX) && path.endsWith(SUFFIX);
  }

  void handle(HttpExchange exchange) {
    HttpRequest request = exchange.request();
    long wait = auth.failures().refusedForSeconds(exchange.channel().remoteAddress());
    if (wait > 0) {
      exchange.refuse("clip-throttled", "POST " + exchange.loggableTarget(), "too many failed token attempts",
          Responses.throttled(wait), false);
      return;
    }
    String token = Tokens.of(request.headers().get(HttpHeaderNames.AUTHORIZATION), null,
        new QueryStringDecoder(request.uri()).parameters());
    if (!auth.controlAllowed(token)) {
      if (token != null) {
        auth.failures().failed(exchange.channel().remoteAddress());
      }
      FullHttpResponse response = token == null
          ? Responses.text(HttpResponseStatus.UNAUTHORIZED, "saving a clip needs the control token: send"
              + " 'Authorization: Bearer <token>' or ?token=")
          : Responses.text(HttpResponseStatus.FORBIDDEN, "saving a clip needs the control token; this is not it");
      if (token == null) {
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"camrelay\"");
      }
      exchange.refuse("clip-auth", "POST " + exchange.loggableTarget(),
          token == null ? "no control token" : "wrong control token", response, false);
      return;
    }
    String path = exchange.path();
    String id = path.substring(CameraRoutes.PREFIX.length(), path.length() - SUFFIX.length());
    if (!CameraId.isValid(id)) {
      exchange.respond(Responses.text(HttpResponseStatus.BAD_REQUEST, "invalid camera id: want " + CameraId.RULE),
          false);
      return;
    }
    if (hub.camera(id).isEmpty()) {
      exchange.respond(Responses.text(HttpResponseStatus.NOT_FOUND, "no camera '" + id + "' on this relay"), false);
      return;
    }
    past.saveClip(exchange, id);
  }
}
