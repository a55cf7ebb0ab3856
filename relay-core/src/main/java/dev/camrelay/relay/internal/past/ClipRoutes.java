package dev.camrelay.relay.internal.past;

import static dev.camrelay.relay.internal.past.PastRoutes.iso;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.camrelay.relay.internal.clips.Clips;
import dev.camrelay.relay.internal.port.http.HttpExchange;
import dev.camrelay.relay.internal.port.http.Responses;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The pre-event clips over HTTP, under {@code /cam/{id}/} (the camera checks are {@code CameraRoutes}' and, for the
 * POST, {@code ClipPostRoute}'s):
 *
 * <pre>
 * clips                                  JSON: the camera's clips ({@link Clips}), those being saved too
 * clips/{file}                           a complete clip's AVI, with HTTP Range (FileDownload)
 * POST clips?before=10s&amp;after=20s        control token: save a clip ({@link #save})
 * </pre>
 *
 * Without clips ({@code --pre-event} unset) these answer 404 saying how to turn them on.
 */
final class ClipRoutes {
  static final String CLIPS = "clips";

  private final Clips clips;
  private final ScheduledExecutorService threads;

  /** {@code clipsOrNull}: the clips, or null when they are off. */
  ClipRoutes(Clips clipsOrNull, ScheduledExecutorService threads) {
    this.clips = clipsOrNull;
    this.threads = threads;
  }

  /**
   * {@code POST /cam/{id}/clips?before=10s&after=20s} (the caller checked the control token and the camera id):
   * starts saving a clip, 202 with JSON naming it ({@code clip}, {@code url}, {@code from}, {@code until}); 404 when
   * clips are off, 400 for a bad duration, 409 for a camera that has sent nothing, 503 when too many clips are
   * being saved or the folder cannot be written. {@code before} defaults to the ring's length and is cut to it;
   * {@code after} defaults to 10s, at most 10 minutes.
   */
  void save(HttpExchange exchange, String id) {
    if (clips == null) {
      exchange.respond(clipsOff(), false);
      return;
    }
    TimeParams query = new TimeParams(new QueryStringDecoder(exchange.request().uri()).parameters());
    Duration before;
    Duration after;
    try {
      before = query.duration("before", clips.keep());
      after = query.duration("after", Duration.ofSeconds(10));
      if (after.compareTo(Clips.MAX_AFTER) > 0) {
        throw new TimeParams.BadParameter("after=" + after.toSeconds() + "s is too long: at most 10m");
      }
    } catch (TimeParams.BadParameter e) {
      exchange.respond(Responses.text(HttpResponseStatus.BAD_REQUEST, e.getMessage()), false);
      return;
    }
    // The ring is read and the file created on the past's threads; the frames then go to a clip thread.
    BodySender.answer(exchange, threads, "clip", () -> {
      Clips.Clip clip;
      try {
        clip = clips.save(id, before, after);
      } catch (IllegalStateException e) {
        throw new BodySender.Refusal(e.getMessage().startsWith("already") ? HttpResponseStatus.SERVICE_UNAVAILABLE
            : HttpResponseStatus.CONFLICT, e.getMessage());
      } catch (IOException e) {
        throw new BodySender.Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE, "cannot write the clip: " + e);
      }
      JsonObject o = clipJson(clip);
      long from = clip.startMicros() - Math.min(before.toNanos(), clips.keep().toNanos()) / 1000;
      o.addProperty("from", iso(from));
      o.addProperty("until", iso(clip.untilMicros()));
      return BodySender.Reply.full(Responses.json(HttpResponseStatus.ACCEPTED, o.toString()));
    });
  }

  /** {@code GET clips}: JSON of the camera's clips, those being saved too. */
  void list(HttpExchange exchange, String id) {
    answer(exchange, id, this::clipList);
  }

  /** {@code GET clips/{file}}: a complete clip's AVI, with HTTP Range. */
  void file(HttpExchange exchange, String id) {
    answer(exchange, id, this::clipFile);
  }

  private interface ClipHandler {
    BodySender.Work prepare(HttpExchange exchange, String cameraId);
  }

  private void answer(HttpExchange exchange, String id, ClipHandler handler) {
    if (clips == null) {
      exchange.respond(clipsOff());
      return;
    }
    BodySender.answer(exchange, threads, exchange.path(), handler.prepare(exchange, id));
  }

  private static FullHttpResponse clipsOff() {
    return Responses.text(HttpResponseStatus.NOT_FOUND,
        "pre-event clips are off: start the relay with --pre-event DURATION (e.g. 10s)");
  }

  private BodySender.Work clipList(HttpExchange exchange, String id) {
    return () -> {
      JsonArray list = new JsonArray();
      for (Clips.Clip c : clips.list(id)) {
        list.add(clipJson(c));
      }
      JsonObject out = new JsonObject();
      out.addProperty("camera", id);
      out.addProperty("preEventSeconds", clips.keep().toMillis() / 1000.0);
      out.add("clips", list);
      return BodySender.Reply.full(Responses.json(HttpResponseStatus.OK, out.toString()));
    };
  }

  private static JsonObject clipJson(Clips.Clip c) {
    JsonObject o = new JsonObject();
    o.addProperty("camera", c.cameraId());
    o.addProperty("clip", c.name());
    o.addProperty("requested", iso(c.startMicros()));
    o.addProperty("requestedMs", c.startMicros() / 1000);
    o.addProperty("bytes", c.bytes());
    o.addProperty("saving", c.saving());
    o.addProperty("url", "/cam/" + c.cameraId() + "/" + CLIPS + "/" + c.name());
    return o;
  }

  private BodySender.Work clipFile(HttpExchange exchange, String id) {
    String name = exchange.path().substring(exchange.path().lastIndexOf('/') + 1);
    return () -> {
      Clips.Clip clip = clips.find(id, name).orElseThrow(() -> new BodySender.Refusal(HttpResponseStatus.NOT_FOUND,
          "camera '" + id + "' has no complete clip by that name; /cam/" + id + "/" + CLIPS + " lists them"));
      return FileDownload.of(exchange.request(), clip.file(), id + "-" + name, FileDownload.AVI);
    };
  }
}
