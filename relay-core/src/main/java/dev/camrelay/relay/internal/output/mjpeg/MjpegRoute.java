package dev.camrelay.relay.internal.output.mjpeg;

import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.internal.output.SharedEncoding;
import dev.camrelay.relay.internal.output.SharedEncodings;
import dev.camrelay.relay.internal.port.http.CameraRoute;
import dev.camrelay.relay.internal.port.http.HttpExchange;
import dev.camrelay.relay.internal.port.http.Responses;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /cam/{id}/stream.mjpeg}: turns the request into an MJPEG stream. Attaches an {@link MjpegViewer} to the
 * camera, hands the connection to an {@link MjpegStream} (which replaces the request handler), writes the response
 * head (multipart/x-mixed-replace in {@link MjpegWriter}'s format, no Content-Length, no chunking,
 * {@code Connection: close}) and then asks for the camera's latest frame, so the head always precedes the first part.
 *
 * <p>Two layouts of the same multipart body ({@link MjpegPartEncoding}), chosen per request
 * ({@link #advanceHeaders}): parts with {@code Content-Length}, for every reader; or advance headers, for browsers,
 * which show a part only once the next part's header block is in: the first part's header follows the response
 * head, and each JPEG is followed by the next part's header. Each layout has its own shared encodings, so a frame is
 * still encoded once per layout, not per viewer.
 *
 * <p>HEAD gets the same head and the connection is closed; nothing is attached. When the camera cannot be attached
 * (the relay has no room for another camera, or is closing) the answer is 503 with the reason.
 */
public final class MjpegRoute implements CameraRoute {
  private static final Logger log = LoggerFactory.getLogger(MjpegRoute.class);

  private final CameraHub hub;
  private final MjpegWriter writer;
  private final SharedEncodings parts;
  private final SharedEncodings advanceParts;
  private final MjpegCounters counters;
  private final int sendBufferCap;

  /**
   * @param parts the shared parts with Content-Length ({@link MjpegPartEncoding}) of {@code writer}
   * @param advanceParts the shared {@link MjpegPartEncoding#advanceHeaders} parts of {@code writer}
   * @param sendBufferCap the most a viewer's kernel send buffer may grow to
   */
  public MjpegRoute(CameraHub hub, MjpegWriter writer, SharedEncodings parts, SharedEncodings advanceParts,
      MjpegCounters counters, int sendBufferCap) {
    this.hub = hub;
    this.writer = writer;
    this.parts = parts;
    this.advanceParts = advanceParts;
    this.counters = counters;
    this.sendBufferCap = sendBufferCap;
  }

  /**
   * Whether a viewer gets advance headers. {@code ?advance=1} (or {@code true}, {@code yes}) and {@code ?advance=0}
   * ({@code false}, {@code no}) decide; otherwise browsers get them: a {@code User-Agent} with {@code Mozilla/} and
   * an {@code Accept} naming {@code text/html} or an image type, which is what an {@code <img>} or a browser tab
   * sends. ffmpeg, VLC, OpenCV, motion, curl, aiohttp (Home Assistant's proxy), requests and a page's
   * {@code fetch()} (which accept any type) keep {@code Content-Length}, which some readers need.
   */
  public static boolean advanceHeaders(HttpRequest request) {
    List<String> asked = new QueryStringDecoder(request.uri()).parameters().get("advance");
    if (asked != null && !asked.isEmpty()) {
      switch (asked.get(asked.size() - 1).toLowerCase(Locale.ROOT)) {
        case "1", "true", "yes":
          return true;
        case "0", "false", "no":
          return false;
        default:
          break; // not understood: as if not asked
      }
    }
    String agent = request.headers().get(HttpHeaderNames.USER_AGENT, "");
    String accept = request.headers().get(HttpHeaderNames.ACCEPT, "").toLowerCase(Locale.ROOT);
    return agent.contains("Mozilla/") && (accept.contains("text/html") || accept.contains("image/"));
  }

  @Override
  public void handle(HttpExchange exchange, String cameraId) {
    HttpResponse head = head();
    if (exchange.isHead()) {
      exchange.sendAndClose(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
      return;
    }
    Channel channel = exchange.channel();
    boolean advance = advanceHeaders(exchange.request());
    SharedEncodings registry = advance ? advanceParts : parts;
    MjpegStream stream = null;
    OutputHandle handle;
    try {
      SharedEncoding cameraParts = registry.acquire(cameraId);
      MjpegViewer viewer = new MjpegViewer(channel, cameraId, cameraParts, counters, sendBufferCap);
      stream = new MjpegStream(viewer, cameraParts, registry);
      handle = hub.attachOutput(cameraId, stream.viewer());
    } catch (RuntimeException e) {
      log.warn("could not attach MJPEG viewer {} to camera '{}': {}", Addresses.of(channel.remoteAddress()), cameraId,
          e.getMessage());
      if (stream != null) {
        stream.stop();
      }
      exchange.respond(Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
          "cannot watch camera '" + cameraId + "': " + e.getMessage()), false);
      return;
    }
    exchange.handOver("mjpeg", stream);
    // The head goes out before the first frame: a frame handed over meanwhile only queues a write on this loop.
    if (advance) {
      channel.write(head);
      channel.writeAndFlush(Unpooled.wrappedBuffer(writer.advanceHeader()));
    } else {
      channel.writeAndFlush(head);
    }
    if (handle.camera().connected()) {
      // A stream has no way to say "this picture is old": a viewer of an offline camera waits for its next frame.
      handle.requestLatest();
    }
    log.debug("MJPEG viewer {} watching camera '{}'{}", Addresses.of(channel.remoteAddress()), cameraId,
        advance ? " (advance headers)" : "");
  }

  private HttpResponse head() {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, writer.contentType())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate, max-age=0")
        .set(HttpHeaderNames.PRAGMA, HttpHeaderValues.NO_CACHE)
        .set(HttpHeaderNames.EXPIRES, "0")
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return head;
  }
}
