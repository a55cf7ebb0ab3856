package dev.camrelay.relay.internal.port.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * {@code /metrics}: the relay's Micrometer meters ({@link dev.camrelay.relay.internal.runtime.RelayMeters}) in the
 * Prometheus text format 0.0.4: per-camera samples (label {@code camera}) and relay-wide ones: cameras, viewers,
 * connections, MJPEG frames sent and skipped, wrong and throttled token attempts, RTSP clients and traffic. Each
 * scrape reads fresh figures.
 */
final class MetricsRoute implements HttpRoute {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private final HttpFrontend frontend;

  MetricsRoute(HttpFrontend frontend) {
    this.frontend = frontend;
  }

  @Override
  public void handle(HttpExchange exchange) {
    exchange.respond(Responses.bytes(HttpResponseStatus.OK, CONTENT_TYPE,
        Unpooled.copiedBuffer(text(), StandardCharsets.UTF_8)));
  }

  String text() {
    return frontend.meters().scrape();
  }
}
