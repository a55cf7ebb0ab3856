package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.auth.AuthFailures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Small builders for complete responses: a body with its Content-Type and Content-Length, never cached. */
public final class Responses {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json; charset=utf-8";

  private Responses() {}

  public static FullHttpResponse text(HttpResponseStatus status, String body) {
    return bytes(status, TEXT, Unpooled.copiedBuffer(body.endsWith("\n") ? body : body + "\n", StandardCharsets.UTF_8));
  }

  public static FullHttpResponse json(HttpResponseStatus status, String json) {
    return bytes(status, JSON, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
  }

  public static FullHttpResponse bytes(HttpResponseStatus status, String contentType, ByteBuf body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set("X-Content-Type-Options", "nosniff");
    return response;
  }

  /** A log-safe rendering of a request target: the path only (tokens travel in the query), printable, bounded. */
  static String loggable(String uri) {
    int end = uri.length();
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    StringBuilder out = new StringBuilder(Math.min(end, 120) + 4);
    for (int i = 0; i < end && out.length() < 120; i++) {
      char c = uri.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (end > 120) {
      out.append("...");
    }
    if (end < uri.length() && uri.charAt(end) == '?') {
      out.append("?<query omitted>");
    }
    return out.toString();
  }

  /** 429 for an address refused for wrong tokens ({@code AuthFailures}), with {@code Retry-After}. */
  static FullHttpResponse throttled(long waitSeconds) {
    FullHttpResponse response = text(HttpResponseStatus.TOO_MANY_REQUESTS,
        AuthFailures.refusal(waitSeconds));
    response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(waitSeconds));
    return response;
  }
}
