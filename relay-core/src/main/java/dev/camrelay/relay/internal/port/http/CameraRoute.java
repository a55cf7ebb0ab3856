package dev.camrelay.relay.internal.port.http;

/**
 * Answers {@code /cam/{id}/<file>} for one file name ({@code snapshot.jpg}, {@code stream.mjpeg}). {@link CameraRoutes}
 * has checked the camera id ({@link dev.camrelay.frame.wire.CameraId}), the viewer token and that the relay knows or
 * expects the camera, so a camera route only serves it.
 *
 * <p>The same rules as {@link HttpRoute}: shared by every connection, event loop only, never blocks, answers once.
 */
@FunctionalInterface
public interface CameraRoute {
  void handle(HttpExchange exchange, String cameraId);
}
