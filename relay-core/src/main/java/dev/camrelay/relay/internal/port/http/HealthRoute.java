package dev.camrelay.relay.internal.port.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /healthz}: 200 {@code ok} while the HTTP port answers at all. Says nothing about cameras. */
final class HealthRoute implements HttpRoute {
  @Override
  public void handle(HttpExchange exchange) {
    exchange.respond(Responses.text(HttpResponseStatus.OK, "ok"));
  }
}
