package dev.camrelay.relay.internal.port.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Any other {@code /api/...} path: a JSON 404, so API clients get JSON even for a typo. Open: it reveals nothing. */
final class UnknownApiRoute implements HttpRoute {
  @Override
  public void handle(HttpExchange exchange) {
    exchange.respond(Responses.json(HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such API endpoint\"}"));
  }
}
