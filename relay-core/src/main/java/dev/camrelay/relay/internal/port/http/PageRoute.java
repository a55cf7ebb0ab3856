package dev.camrelay.relay.internal.port.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The viewer page's static files ({@link StaticAssets}): 200 with an ETag and {@code Cache-Control: no-cache}, 304
 * when {@code If-None-Match} names the ETag, 400 for a path that tries to leave the asset folder (logged as a
 * refusal), 404 otherwise, and a 404 that points at the streams when the page is turned off or not installed.
 * Serves only what {@link StaticAssets} found at startup; never a file outside it.
 */
final class PageRoute implements HttpRoute {
  private final StaticAssets assets;

  /** {@code assets} null: the page is turned off. */
  PageRoute(StaticAssets assets) {
    this.assets = assets;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (assets == null) {
      exchange.respond(Responses.text(HttpResponseStatus.NOT_FOUND,
          "the viewer page is turned off on this relay; streams are at /cam/{id}/" + CameraRoutes.STREAM));
      return;
    }
    String path = exchange.path();
    StaticAssets.Lookup lookup = assets.lookup(path);
    switch (lookup.status()) {
      case BAD_PATH -> exchange.refuse("path", "path " + exchange.loggableTarget(), lookup.reason(),
          Responses.text(HttpResponseStatus.BAD_REQUEST, "bad path: " + lookup.reason()), exchange.keepAlive());
      case NOT_FOUND -> exchange.respond(Responses.text(HttpResponseStatus.NOT_FOUND, path.equals("/")
          ? "the viewer page is not installed (viewer-static is not on the classpath); streams are at /cam/{id}/"
              + CameraRoutes.STREAM
          : "not found"));
      case FOUND -> exchange.respond(found(exchange, lookup.asset()));
      default -> throw new IllegalStateException();
    }
  }

  private static FullHttpResponse found(HttpExchange exchange, StaticAssets.Asset asset) {
    String ifNoneMatch = exchange.request().headers().get(HttpHeaderNames.IF_NONE_MATCH);
    FullHttpResponse response;
    if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
    } else {
      response = Responses.bytes(HttpResponseStatus.OK, asset.contentType(), Unpooled.wrappedBuffer(asset.bytes()));
    }
    // Assets are not fingerprinted, so browsers must revalidate (cheap: 304 by ETag) to see an upgrade at once.
    response.headers()
        .set(HttpHeaderNames.ETAG, asset.etag())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
        .set("Referrer-Policy", "no-referrer");
    return response;
  }
}
