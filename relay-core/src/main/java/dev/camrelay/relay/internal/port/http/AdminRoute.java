package dev.camrelay.relay.internal.port.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraRegistry;
import dev.camrelay.relay.CameraSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
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
 * no admin API, token or access   as {@link AdminGate} says, before the body is read
 * bad id, body, field or URL      400 {"error": "..."} saying which
 * PUT                             201 new camera, 200 changed or unchanged: {"id", "pullUrl" (without user info or
 *                                 query), "cameraToken": true|false, "state", "changed"}
 * DELETE                          204, or 404 for a camera that is not configured
 * </pre>
 *
 * Bodies are read up to {@link #MAX_BODY} bytes (413 beyond).
 */
final class AdminRoute implements BodyRoute {
  static final String PREFIX = "/api/cameras/";
  static final int MAX_BODY = 16 * 1024;
  private static final List<String> FIELDS = List.of("pullUrl", "cameraToken");

  private final CameraRegistry registry;

  AdminRoute(CameraRegistry registry) {
    this.registry = registry;
  }

  @Override
  public int maxBody() {
    return MAX_BODY;
  }

  /** Whether this route answers the request (a PUT or DELETE under {@link #PREFIX}). */
  static boolean answers(HttpRequest request, String path) {
    return path.startsWith(PREFIX)
        && (HttpMethod.PUT.equals(request.method()) || HttpMethod.DELETE.equals(request.method()));
  }

  /** Answers a complete request that passed the {@link AdminGate}; {@code body} is what the client sent. */
  @Override
  public void handle(HttpExchange exchange, byte[] body) {
    HttpRequest request = exchange.request();
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
    return AdminGate.error(status, message);
  }
}
