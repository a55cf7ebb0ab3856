package dev.camrelay.relay.internal.port.http;

import com.google.gson.Gson;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A JSON API path: 200 with the JSON of what {@code body} returns, asked afresh for every request
 * ({@code /api/info}, {@code /api/cameras}). Whatever it returns is public to whoever may use the path, so a body
 * for viewers with scoped tokens must itself leave out what the token does not open.
 */
final class JsonRoute implements HttpRoute {
  private final Gson gson;
  private final Function<HttpExchange, ?> body;

  JsonRoute(Gson gson, Supplier<?> body) {
    this(gson, exchange -> body.get());
  }

  /** A body that depends on the request, e.g. on the cameras its token opens. */
  JsonRoute(Gson gson, Function<HttpExchange, ?> body) {
    this.gson = gson;
    this.body = body;
  }

  @Override
  public void handle(HttpExchange exchange) {
    exchange.respond(Responses.json(HttpResponseStatus.OK, gson.toJson(body.apply(exchange))));
  }
}
