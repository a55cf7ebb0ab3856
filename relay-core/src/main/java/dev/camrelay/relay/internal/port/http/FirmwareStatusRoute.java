package dev.camrelay.relay.internal.port.http;

import com.google.gson.Gson;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.internal.auth.ViewerAccess;
import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /api/cameras/{id}/firmware}: where the camera's latest firmware update stands (200, the same object as
 * in {@code /api/cameras}), 404 when it had none since the relay started. For viewers of that camera; any other path
 * under {@code /api/cameras/} is a JSON 404.
 */
final class FirmwareStatusRoute implements HttpRoute {
  private final FirmwareUpdates firmware;
  private final Gson gson;

  FirmwareStatusRoute(FirmwareUpdates firmware, Gson gson) {
    this.firmware = firmware;
    this.gson = gson;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String id = FirmwareUploadRoute.cameraId(exchange.path());
    if (id == null) {
      exchange.respond(AdminGate.error(HttpResponseStatus.NOT_FOUND, "no such API endpoint"));
      return;
    }
    if (!CameraId.isValid(id)) {
      exchange.respond(AdminGate.error(HttpResponseStatus.BAD_REQUEST, "invalid camera id: want " + CameraId.RULE));
      return;
    }
    if (!exchange.viewerAccess().mayView(id)) {
      exchange.refuse("scope", exchange.loggableTarget(), "viewer token not for this camera",
          AdminGate.error(HttpResponseStatus.FORBIDDEN, ViewerAccess.outOfScopeMessage(id)), exchange.keepAlive());
      return;
    }
    exchange.respond(firmware.status(id)
        .map(s -> Responses.json(HttpResponseStatus.OK, FirmwareUploadRoute.json(gson, id, s)))
        .orElseGet(() -> AdminGate.error(HttpResponseStatus.NOT_FOUND,
            "no firmware update for camera '" + id + "' since the relay started")));
  }
}
