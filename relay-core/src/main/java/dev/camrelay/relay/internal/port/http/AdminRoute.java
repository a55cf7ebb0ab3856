package dev.camrelay.relay.internal.port.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraRegistry;
import dev.camrelay.relay.CameraSpec;
import dev.camrelay.relay.internal.auth.AdminAuth;
import dev.camrelay.relay.internal.auth.AuthFailures;
import dev.camrelay.relay.internal.auth.Tokens;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The admin API: {@code PUT /api/cameras/{id}} with a JSON body {@code {"pullUrl": "http://cam:81/stream",
 * "cameraToken": "k3y"}} (both optional, absent = none) configures a camera as exactly that, {@code DELETE
 * /api/cameras/{id}} forgets it; both take effect at once ({@link dev.camrelay.relay.CameraRegistry}).
 *
 * <pre>
 * admin API off (no admin token)  403 {"error": "the admin API is off ..."}
 * no token / wrong token          401 (WWW-Authenticate: Bearer) / 403
 * address refused (AuthFailures)   429 with Retry-After, the token unchecked
 * bad id, body, field or URL      400 {"error": "..."} saying which
 * PUT                             201 new camera, 200 changed or unchanged: {"id", "pullUrl" (without user info or
 *                                 query), "cameraToken": true|false, "state", "changed"}
 * DELETE                          204, or 404 for a camera that is not configured
 * </pre>
 *
 * The admin token comes as {@code Authorization: Bearer} or {@code ?token=}. Bodies are read up to
 * {@link #MAX_BODY} bytes (413 beyond); tokens are never echoed or logged.
 */
final class AdminRoute {
  static final String PREFIX = "/api/cameras/";
  static final int MAX_BODY = 16 * 1024;
  private static final List<String> FIELDS = List.of("pullUrl", "cameraToken");

  private final CameraRegistry registry;
  private final AdminAuth admin;
  private final AuthFailures failures;

  AdminRoute(CameraRegistry registry, AdminAuth admin, AuthFailures failures) {
    this.registry = registry;
    this.admin = admin;
    this.failures = failures;
  }

  /** Whether this route answers the request (a PUT or DELETE under {@link #PREFIX}). */
  static boolean answers(HttpRequest request, String path) {
    return path.startsWith(PREFIX)
        && (HttpMethod.PUT.equals(request.method()) || HttpMethod.DELETE.equals(request.method()));
  }

  /** Answers a complete request; {@code body} is what the client sent (empty for none). */
  void handle(HttpExchange exchange, byte[] body) {
    HttpRequest request = exchange.request();
    if (!admin.enabled()) {
      exchange.respond(error(HttpResponseStatus.FORBIDDEN, "the admin API is off: start the relay with an admin"
          + " token (--admin-token or CAMRELAY_ADMIN_TOKEN) to change cameras while it runs"), false);
      return;
    }
    long wait = failures.refusedForSeconds(exchange.channel().remoteAddress());
    if (wait > 0) {
      exchange.refuse("admin-throttled", request.method() + " " + exchange.loggableTarget(),
          "too many failed token attempts", Responses.throttled(wait), false);
      return;
    }
    String token = Tokens.of(request.headers().get(HttpHeaderNames.AUTHORIZATION), null,
        new QueryStringDecoder(request.uri()).parameters());
    if (!admin.allowed(token)) {
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
      return;
    }
    String id = exchange.path().substring(PREFIX.length());
    if (!CameraId.isValid(id)) {
      exchange.respond(error(HttpResponseStatus.BAD_REQUEST, "invalid camera id: want " + CameraId.RULE), false);
      return;
    }
    if (HttpMethod.DELETE.equals(request.method())) {
      exchange.respond(registry.remove(id)
          ? Responses.bytes(HttpResponseStatus.NO_CONTENT, Responses.JSON, Unpooled.EMPTY_BUFFER)
          : error(HttpResponseStatus.NOT_FOUND, "camera '" + id + "' is not configured"), false);
      return;
    }
    CameraSpec spec;
    try {
      spec = parse(body);
    } catch (IllegalArgumentException e) {
      exchange.respond(error(HttpResponseStatus.BAD_REQUEST, e.getMessage()), false);
      return;
    }
    boolean existed = registry.specs().containsKey(id);
    boolean changed;
    try {
      changed = registry.put(id, spec);
    } catch (IllegalStateException e) {
      exchange.respond(error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage()), false);
      return;
    }
    JsonObject out = new JsonObject();
    out.addProperty("id", id);
    out.addProperty("pullUrl", spec.pullUrl() == null ? null : CameraSpec.safeUrl(spec.pullUrl()));
    out.addProperty("cameraToken", spec.cameraToken() != null);
    out.addProperty("state", registry.state(id).orElse("offline"));
    out.addProperty("changed", changed);
    exchange.respond(Responses.json(existed ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, out.toString()),
        false);
  }

  /** The spec a PUT body asks for; IllegalArgumentException with a message naming what is wrong. */
  static CameraSpec parse(byte[] body) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the body is not UTF-8");
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException("a JSON object is required, e.g. {\"pullUrl\": \"http://cam:81/stream\"}");
    }
    JsonElement json;
    try {
      json = JsonParser.parseString(text);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("the body is not valid JSON: " + rootMessage(e));
    }
    if (!json.isJsonObject()) {
      throw new IllegalArgumentException("the body must be a JSON object with the fields " + FIELDS);
    }
    JsonObject object = json.getAsJsonObject();
    for (Map.Entry<String, JsonElement> field : object.entrySet()) {
      if (!FIELDS.contains(field.getKey())) {
        throw new IllegalArgumentException("unknown field '" + printable(field.getKey()) + "'; known fields: "
            + String.join(", ", FIELDS));
      }
    }
    String url = string(object, "pullUrl");
    URI pullUrl = null;
    if (url != null) {
      try {
        pullUrl = new URI(url);
      } catch (URISyntaxException e) {
        // Not the input itself: it may hold a password.
        throw new IllegalArgumentException("pullUrl is not a valid URL: " + e.getReason() + " at index "
            + e.getIndex());
      }
    }
    try {
      return new CameraSpec(pullUrl, string(object, "cameraToken"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("pull URL")
          ? "pullUrl: " + e.getMessage() : "cameraToken: " + e.getMessage());
    }
  }

  private static String string(JsonObject object, String field) {
    JsonElement value = object.get(field);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(field + " must be a string (or null)");
    }
    return value.getAsString();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e.getCause() != null ? e.getCause() : e;
    return String.valueOf(root.getMessage());
  }

  private static String printable(String s) {
    return Responses.loggable(s.length() > 64 ? s.substring(0, 64) : s);
  }

  private static FullHttpResponse error(HttpResponseStatus status, String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return Responses.json(status, o.toString());
  }
}
