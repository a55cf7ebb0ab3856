package dev.camrelay.relay.internal.port.http;

/**
 * Answers the requests for one path (or one family of paths) of the HTTP port, e.g. {@code /healthz}. The
 * {@link RouteTable} picks the route; {@link HttpRequestHandler} has already refused other methods than GET and HEAD
 * and checked the viewer token where the table asks for it.
 *
 * <p>One instance serves every connection of a frontend, on each connection's event loop: a route keeps no
 * per-request state, must not block, and answers through its {@link HttpExchange} exactly once.
 */
@FunctionalInterface
interface HttpRoute {
  void handle(HttpExchange exchange);
}
