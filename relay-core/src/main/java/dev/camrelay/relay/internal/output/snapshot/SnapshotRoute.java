package dev.camrelay.relay.internal.output.snapshot;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.internal.port.http.CameraRoute;
import dev.camrelay.relay.internal.port.http.HttpExchange;
import dev.camrelay.relay.internal.port.http.Responses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * {@code /cam/{id}/snapshot.jpg}: the camera's latest frame ({@link CameraHub#latestFrame}) byte for byte as
 * {@code image/jpeg}, or 503 with a reason and {@code Retry-After: 1} while it has sent none. Not an output: it
 * attaches nothing to the camera, so it neither counts as a viewer nor wakes an on-demand camera.
 */
public final class SnapshotRoute implements CameraRoute {
  private final CameraHub hub;

  public SnapshotRoute(CameraHub hub) {
    this.hub = hub;
  }

  @Override
  public void handle(HttpExchange exchange, String cameraId) {
    Optional<CameraFrame> frame = hub.latestFrame(cameraId);
    if (frame.isEmpty()) {
      FullHttpResponse response = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
          "camera '" + cameraId + "' has not sent a frame yet");
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      exchange.respond(response);
      return;
    }
    exchange.respond(Responses.bytes(HttpResponseStatus.OK, "image/jpeg",
        Unpooled.wrappedBuffer(frame.get().jpeg().asByteBuffer())));
  }
}
