package dev.camrelay.relay.internal.port.http;

import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.internal.auth.ViewerAccess;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code /cam/{id}/<file>} and {@code /cam/{id}/<folder>/<file>}: checks the rest of the path and the camera, then
 * hands over to the camera route for the file ({@code stream.mjpeg}, {@code snapshot.jpg}, the past's
 * {@code replay.mjpeg}, {@code recordings/...}, see {@code PastRoutes}). 404 for another file, 400 for an invalid id
 * ({@link CameraId}), 403 for a camera the request's token does not open, 404 for a camera the relay neither knows nor expects (the default camera and configured pull
 * cameras are expected before they first connect). The id is taken as sent: percent-encoding is not decoded, so an
 * encoded id is invalid.
 */
final class CameraRoutes implements HttpRoute {
  static final String PREFIX = "/cam/";
  static final String STREAM = "stream.mjpeg";
  static final String SNAPSHOT = "snapshot.jpg";

  private final CameraHub hub;
  private final Predicate<String> expected;
  private final Map<String, CameraRoute> byFile;

  /**
   * {@code expected}: cameras served even before the relay knows them; {@code byFile}: the route of each file name,
   * and of each folder as its name with a slash ({@code "recordings/"} answers {@code /cam/{id}/recordings/{file}}).
   */
  CameraRoutes(CameraHub hub, Predicate<String> expected, Map<String, CameraRoute> byFile) {
    this.hub = hub;
    this.expected = expected;
    this.byFile = Map.copyOf(byFile);
  }

  @Override
  public void handle(HttpExchange exchange) {
    String[] parts = exchange.path().substring(PREFIX.length()).split("/", -1);
    CameraRoute route = parts.length == 2 ? byFile.get(parts[1])
        : parts.length == 3 && !parts[2].isEmpty() ? byFile.get(parts[1] + "/") : null;
    if (route == null) {
      exchange.respond(Responses.text(HttpResponseStatus.NOT_FOUND,
          "not found; camera URLs are /cam/{id}/" + STREAM + ", /cam/{id}/" + SNAPSHOT + " and the recordings'"
              + " (/cam/{id}/recordings)"));
      return;
    }
    String id = parts[0];
    if (!CameraId.isValid(id)) {
      exchange.respond(Responses.text(HttpResponseStatus.BAD_REQUEST, "invalid camera id: want " + CameraId.RULE));
      return;
    }
    if (!exchange.viewerAccess().mayView(id)) {
      // Before the 404 below: a scoped token must not learn which other cameras exist.
      exchange.refuse("scope", exchange.loggableTarget(), "viewer token not for this camera",
          Responses.text(HttpResponseStatus.FORBIDDEN, ViewerAccess.outOfScopeMessage(id)), exchange.keepAlive());
      return;
    }
    if (hub.camera(id).isEmpty() && !expected.test(id)) {
      exchange.respond(Responses.text(HttpResponseStatus.NOT_FOUND, "no camera '" + id + "' on this relay"));
      return;
    }
    route.handle(exchange, id);
  }
}
