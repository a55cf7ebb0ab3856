package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /firmware/{key}.bin}: a firmware image the relay is offering a camera, to whoever has its URL (the key
 * is 128 random bits, told only to the camera over its authenticated control channel), while the offer lasts; 404
 * otherwise. Open, because the camera's HTTP client sends no viewer token. Logged once per camera and 10 s.
 */
final class FirmwareImageRoute implements HttpRoute {
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{32}");
  private static final LogLimiter sent = new LogLimiter(LoggerFactory.getLogger(FirmwareImageRoute.class), 10_000);

  private final FirmwareUpdates firmware;

  FirmwareImageRoute(FirmwareUpdates firmware) {
    this.firmware = firmware;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String path = exchange.path();
    String key = path.endsWith(FirmwareUpdates.IMAGE_SUFFIX) ? path.substring(FirmwareUpdates.IMAGE_PREFIX.length(),
        path.length() - FirmwareUpdates.IMAGE_SUFFIX.length()) : "";
    Optional<FirmwareUpdates.Image> image = KEY.matcher(key).matches() ? firmware.image(key) : Optional.empty();
    if (image.isEmpty()) {
      exchange.refuse("firmware", exchange.loggableTarget(), "no firmware offer at this URL",
          Responses.text(HttpResponseStatus.NOT_FOUND, "no firmware offer at this URL (an offer ends when the camera"
              + " has downloaded the image, gave up, or after 10 minutes without news)"), false);
      return;
    }
    byte[] bytes = image.get().bytes();
    String camera = image.get().cameraId();
    sent.info("firmware-sent:" + camera, "camera '" + camera + "': sending the firmware image (" + bytes.length
        + " bytes) to " + Addresses.of(exchange.channel().remoteAddress()));
    exchange.respond(Responses.bytes(HttpResponseStatus.OK, "application/octet-stream", Unpooled.wrappedBuffer(bytes)));
  }
}
