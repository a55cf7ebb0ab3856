package dev.camrelay.relay.internal.port.http;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.internal.firmware.FirmwareOfferException;
import dev.camrelay.relay.internal.firmware.FirmwareStatus;
import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/cameras/{id}/firmware[?version=1.2.0]} with the firmware image as the body (admin token): the
 * relay offers it to the camera ({@link FirmwareUpdates}) and answers once the camera took or declined the offer.
 *
 * <pre>
 * 202  {"camera", "state": "offered", "size", "sha256", "version", ...}   the camera is downloading it
 * 400  invalid id, empty image, bad version       413  larger than the relay's limit (4 MiB by default)
 * 409  camera not connected over the framed protocol, or already updating
 * 422  the camera refused (its reason)            504  it did not answer     503  the HTTP port is off
 * </pre>
 *
 * The body may take up to {@link #BODY_TIMEOUT} to arrive.
 */
final class FirmwareUploadRoute implements BodyRoute {
  static final String SUFFIX = "/firmware";
  static final Duration BODY_TIMEOUT = Duration.ofMinutes(2);

  private final FirmwareUpdates firmware;
  private final Gson gson;

  FirmwareUploadRoute(FirmwareUpdates firmware, Gson gson) {
    this.firmware = firmware;
    this.gson = gson;
  }

  /** Whether this route answers the request: a POST to {@code /api/cameras/{id}/firmware}. */
  static boolean answers(HttpRequest request, String path) {
    return HttpMethod.POST.equals(request.method()) && path.startsWith(AdminRoute.PREFIX) && path.endsWith(SUFFIX);
  }

  /** The camera id in a {@code /api/cameras/{id}/firmware} path, or null when the path has another shape. */
  static String cameraId(String path) {
    if (!path.startsWith(AdminRoute.PREFIX) || !path.endsWith(SUFFIX)
        || path.length() <= AdminRoute.PREFIX.length() + SUFFIX.length()) {
      return null;
    }
    return path.substring(AdminRoute.PREFIX.length(), path.length() - SUFFIX.length());
  }

  @Override
  public int maxBody() {
    return firmware.maxImageBytes();
  }

  @Override
  public Duration bodyTimeout(Duration usual) {
    return BODY_TIMEOUT;
  }

  @Override
  public void handle(HttpExchange exchange, byte[] body) {
    String id = cameraId(exchange.path());
    if (id == null || !CameraId.isValid(id)) {
      exchange.respond(AdminGate.error(HttpResponseStatus.BAD_REQUEST, "invalid camera id: want " + CameraId.RULE),
          false);
      return;
    }
    List<String> versions = new QueryStringDecoder(exchange.request().uri()).parameters().get("version");
    String version = versions == null || versions.isEmpty() ? null : versions.get(0);
    firmware.offer(id, body, version).whenComplete((status, failure) -> {
      if (failure == null) {
        exchange.respond(Responses.json(HttpResponseStatus.ACCEPTED, json(gson, id, status)), false);
      } else {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        HttpResponseStatus code = cause instanceof FirmwareOfferException e ? status(e.kind())
            : HttpResponseStatus.INTERNAL_SERVER_ERROR;
        exchange.respond(AdminGate.error(code, String.valueOf(cause.getMessage())), false);
      }
    });
  }

  /** A camera's update status as the API shows it: {@code {"camera": id, "state": ..., ...}}. */
  static String json(Gson gson, String cameraId, FirmwareStatus status) {
    JsonObject out = new JsonObject();
    out.addProperty("camera", cameraId);
    gson.toJsonTree(status).getAsJsonObject().entrySet().forEach(e -> out.add(e.getKey(), e.getValue()));
    return out.toString();
  }

  private static HttpResponseStatus status(FirmwareOfferException.Kind kind) {
    return switch (kind) {
      case NOT_CONNECTED, BUSY -> HttpResponseStatus.CONFLICT;
      case REFUSED_BY_CAMERA -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
      case NO_ANSWER -> HttpResponseStatus.GATEWAY_TIMEOUT;
      case NO_HTTP_PORT -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      case BAD_OFFER -> HttpResponseStatus.BAD_REQUEST;
    };
  }
}
