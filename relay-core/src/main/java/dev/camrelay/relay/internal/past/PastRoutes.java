package dev.camrelay.relay.internal.past;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.internal.clips.Clips;
import dev.camrelay.relay.internal.output.mjpeg.MjpegRoute;
import dev.camrelay.relay.internal.port.http.CameraRoute;
import dev.camrelay.relay.internal.port.http.HttpExchange;
import dev.camrelay.relay.internal.port.http.Responses;
import dev.camrelay.relay.internal.record.AviWriter;
import dev.camrelay.relay.internal.record.FrameCursor;
import dev.camrelay.relay.internal.record.RecordedFrame;
import dev.camrelay.relay.internal.record.RecordingStore;
import dev.camrelay.relay.internal.record.Segment;
import dev.camrelay.relay.internal.record.TimeRange;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The recorded past of a camera over HTTP, under {@code /cam/{id}/} (viewer token for {@code id}, the same rules as
 * {@code snapshot.jpg}; {@code CameraRoutes} checks them first):
 *
 * <pre>
 * snapshot.jpg?at=TIME                   the recorded frame nearest TIME; 404 outside the recorded ranges
 *                                        (without ?at=: the live snapshot, unchanged)
 * recordings                             JSON: segments (file, start, end, frames, bytes, recording, url) and ranges
 * recordings/{file}                      a segment's AVI, with HTTP Range (FileDownload)
 * replay.mjpeg?from=TIME[&to=TIME][&speed=N]   the frames at their recorded pace, N times faster (0 &lt; N &le; 64);
 *                                        to defaults to the end of the recordings
 * timelapse.mjpeg?from&to&every=60s[&fps=10]   one frame per step (TimelapseFrames), fps frames a second; at
 *                                        most 100,000 steps
 * export.avi?from&to                     one AVI of the range (at most 6 h), written first to a temporary file in the
 *                                        record folder's +exports/ (deleted once sent, or at the next start)
 * clips, clips/{file}, POST clips         the pre-event clips ({@link ClipRoutes})
 * </pre>
 *
 * Times: {@link TimeParams}; a bad one is 400 naming the parameter. Without recordings ({@code --record-dir} unset)
 * {@code recordings} says {@code "recording": false} with no segments (200, so a page can ask any relay) and the
 * others answer 404 saying so. Everything that reads the disk runs on the past's threads ({@link BodySender}), never
 * on an event loop; a request taken there is answered with {@code Connection: close}.
 */
public final class PastRoutes {
  static final String RECORDINGS = "recordings";
  static final long MAX_EXPORT_MICROS = Duration.ofHours(6).toNanos() / 1000;
  static final long MAX_TIMELAPSE_STEPS = 100_000;
  /** Exports being written, inside the record folder: a name no camera id can have, so no camera is listed there. */
  static final String EXPORTS = "+exports";
  private static final double MAX_FPS = 60;

  private final RecordingStore store;
  private final ScheduledExecutorService threads;
  private final MjpegWriter writer;
  private final ClipRoutes clipRoutes;

  /**
   * {@code storeOrNull}: the recordings, or null when the relay does not record; {@code clipsOrNull}: the pre-event
   * clips, or null when they are off.
   */
  PastRoutes(RecordingStore storeOrNull, Clips clipsOrNull, ScheduledExecutorService threads, MjpegWriter writer) {
    this.store = storeOrNull;
    this.clipRoutes = new ClipRoutes(clipsOrNull, threads);
    this.threads = threads;
    this.writer = writer;
  }

  /**
   * The camera routes by file name ({@code "recordings/"} for files under {@code recordings/}); {@code liveSnapshot}
   * answers {@code snapshot.jpg} without {@code ?at=}.
   */
  public Map<String, CameraRoute> routes(CameraRoute liveSnapshot) {
    Map<String, CameraRoute> out = new HashMap<>();
    out.put("snapshot.jpg", (exchange, id) -> {
      if (new QueryStringDecoder(exchange.request().uri()).parameters().containsKey("at")) {
        past(exchange, id, this::snapshotAt);
      } else {
        liveSnapshot.handle(exchange, id);
      }
    });
    out.put(RECORDINGS, (exchange, id) -> {
      if (store == null) {
        exchange.respond(Responses.json(HttpResponseStatus.OK, notRecording(id)));
      } else {
        past(exchange, id, this::recordings);
      }
    });
    out.put(RECORDINGS + "/", (exchange, id) -> past(exchange, id, this::segment));
    out.put("replay.mjpeg", (exchange, id) -> past(exchange, id, this::replay));
    out.put("timelapse.mjpeg", (exchange, id) -> past(exchange, id, this::timelapse));
    out.put("export.avi", (exchange, id) -> past(exchange, id, this::export));
    out.put(ClipRoutes.CLIPS, clipRoutes::list);
    out.put(ClipRoutes.CLIPS + "/", clipRoutes::file);
    return out;
  }

  /** {@code POST /cam/{id}/clips}: see {@link ClipRoutes#save}. */
  public void saveClip(HttpExchange exchange, String id) {
    clipRoutes.save(exchange, id);
  }

  /** A route's part before the disk: read the query (400 on a bad parameter), then answer on the past's threads. */
  @FunctionalInterface
  private interface Handler {
    BodySender.Work prepare(HttpExchange exchange, String cameraId, TimeParams query);
  }

  private void past(HttpExchange exchange, String cameraId, Handler handler) {
    if (store == null) {
      exchange.respond(Responses.text(HttpResponseStatus.NOT_FOUND,
          "this relay keeps no recordings: start it with --record-dir DIR"));
      return;
    }
    BodySender.Work work;
    try {
      work = handler.prepare(exchange, cameraId,
          new TimeParams(new QueryStringDecoder(exchange.request().uri()).parameters()));
    } catch (TimeParams.BadParameter e) {
      exchange.respond(Responses.text(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
      return;
    }
    BodySender.answer(exchange, threads, exchange.path(), work);
  }

  private BodySender.Work snapshotAt(HttpExchange exchange, String id, TimeParams query) {
    long at = query.timeMicros("at");
    return () -> {
      RecordedFrame f = store.nearest(id, at).orElseThrow(() -> new BodySender.Refusal(HttpResponseStatus.NOT_FOUND,
          "camera '" + id + "' has no recording at " + iso(at)));
      FullHttpResponse response = Responses.bytes(HttpResponseStatus.OK, "image/jpeg",
          Unpooled.wrappedBuffer(f.jpeg()));
      response.headers().set("X-Timestamp", seconds(f.epochMicros()));
      return BodySender.Reply.full(response);
    };
  }

  /** What {@code recordings} says on a relay that does not record (200, so that pages need not expect a 404). */
  private static String notRecording(String id) {
    JsonObject out = new JsonObject();
    out.addProperty("camera", id);
    out.addProperty("recording", false);
    out.addProperty("why", "this relay keeps no recordings: start it with --record-dir DIR");
    out.add("segments", new JsonArray());
    out.add("ranges", new JsonArray());
    return out.toString();
  }

  private BodySender.Work recordings(HttpExchange exchange, String id, TimeParams query) {
    return () -> {
      JsonArray segments = new JsonArray();
      for (Segment s : store.segments(id)) {
        JsonObject o = new JsonObject();
        String file = s.file().getFileName().toString();
        o.addProperty("file", file);
        o.addProperty("start", iso(s.startMicros()));
        o.addProperty("end", iso(s.endMicros()));
        o.addProperty("startMs", s.startMicros() / 1000);
        o.addProperty("endMs", s.endMicros() / 1000);
        o.addProperty("frames", s.frames());
        o.addProperty("bytes", s.bytes());
        o.addProperty("recording", s.recording());
        o.addProperty("url", "/cam/" + id + "/" + RECORDINGS + "/" + file);
        segments.add(o);
      }
      JsonObject out = new JsonObject();
      out.addProperty("camera", id);
      out.addProperty("recording", true);
      out.add("segments", segments);
      out.add("ranges", ranges(store.ranges(id)));
      return BodySender.Reply.full(Responses.json(HttpResponseStatus.OK, out.toString()));
    };
  }

  /** Ranges as JSON: {@code [{"start": ISO, "end": ISO, "startMs", "endMs"}]}. */
  static JsonArray ranges(List<TimeRange> ranges) {
    JsonArray out = new JsonArray();
    for (TimeRange r : ranges) {
      JsonObject o = new JsonObject();
      o.addProperty("start", iso(r.startMicros()));
      o.addProperty("end", iso(r.endMicros()));
      o.addProperty("startMs", r.startMicros() / 1000);
      o.addProperty("endMs", r.endMicros() / 1000);
      out.add(o);
    }
    return out;
  }

  private BodySender.Work segment(HttpExchange exchange, String id, TimeParams query) {
    String name = exchange.path().substring(exchange.path().lastIndexOf('/') + 1);
    return () -> {
      // Only a file the store lists: the name from the URL is compared, never resolved as a path.
      Optional<Segment> segment = store.segments(id).stream()
          .filter(s -> s.file().getFileName().toString().equals(name)).findFirst();
      if (segment.isEmpty()) {
        throw new BodySender.Refusal(HttpResponseStatus.NOT_FOUND, "camera '" + id + "' has no segment by that name;"
            + " /cam/" + id + "/" + RECORDINGS + " lists them");
      }
      return FileDownload.of(exchange.request(), segment.get().file(), name, FileDownload.AVI);
    };
  }

  private BodySender.Work replay(HttpExchange exchange, String id, TimeParams query) {
    ReplayRequest replay = ReplayRequest.of(new QueryStringDecoder(exchange.request().uri()).parameters());
    if (replay == null) {
      throw new TimeParams.BadParameter("the parameter 'from' is required");
    }
    boolean advance = MjpegRoute.advanceHeaders(exchange.request());
    return () -> {
      FrameCursor cursor = cursorWithFrames(id, replay.fromMicros(), replay.toMicros());
      return new BodySender.Reply(mjpegHead(),
          new MjpegPartsSource(cursor, cursor, writer, advance, MjpegPartsSource.recorded(replay.speed())));
    };
  }

  private BodySender.Work timelapse(HttpExchange exchange, String id, TimeParams query) {
    long from = query.timeMicros("from");
    long to = query.timeMicros("to");
    Duration every = query.duration("every", Duration.ofSeconds(60));
    double fps = query.positive("fps", 10, MAX_FPS);
    checkOrder(from, to);
    long everyMicros = every.toNanos() / 1000;
    if (everyMicros < 1000 || (to - from) / everyMicros > MAX_TIMELAPSE_STEPS) {
      throw new TimeParams.BadParameter("every=" + every.toMillis() + "ms is too short for from..to: at most "
          + MAX_TIMELAPSE_STEPS + " steps, and at least 1ms each");
    }
    boolean advance = MjpegRoute.advanceHeaders(exchange.request());
    return () -> {
      TimelapseFrames frames = new TimelapseFrames(store, id, from, to, everyMicros);
      if (!frames.hasNext()) {
        throw nothingRecorded(id, from, to);
      }
      return new BodySender.Reply(mjpegHead(),
          new MjpegPartsSource(frames, () -> { }, writer, advance, MjpegPartsSource.fixed(fps)));
    };
  }

  private BodySender.Work export(HttpExchange exchange, String id, TimeParams query) {
    long from = query.timeMicros("from");
    long to = query.timeMicros("to");
    checkOrder(from, to);
    if (to - from > MAX_EXPORT_MICROS) {
      throw new TimeParams.BadParameter("from..to spans more than 6h; export at most 6h at a time");
    }
    return () -> {
      Path file = Files.createTempFile(exportDir(store), id + "-", ".avi");
      try (FrameCursor cursor = cursorWithFrames(id, from, to)) {
        writeAvi(cursor, file);
        String name = id + "-" + compact(from) + ".avi";
        BodySender.Reply reply = FileDownload.of(exchange.request(), file, name, FileDownload.AVI);
        BodySender.Source body = reply.body();
        return new BodySender.Reply(reply.head(), body == null ? null : new BodySender.Source() {
          @Override
          public BodySender.Chunk next() throws IOException {
            return body.next();
          }

          @Override
          public void close() {
            body.close();
            deleteQuietly(file);
          }
        });
      } catch (IOException | RuntimeException e) {
        deleteQuietly(file);
        throw e;
      }
    };
  }

  /**
   * Writes every frame of {@code frames} into a new AVI at {@code file}, sized from the first frame; returns the
   * frames written.
   */
  public static long writeAvi(java.util.Iterator<RecordedFrame> frames, Path file) throws IOException {
    AviWriter avi = null;
    try {
      while (frames.hasNext()) {
        RecordedFrame f = frames.next();
        if (avi == null) {
          JpegInfo info = info(f.jpeg());
          avi = AviWriter.create(file, info.width(), info.height());
        }
        avi.write(f.epochMicros(), f.jpeg());
      }
      return avi == null ? 0 : avi.frames();
    } finally {
      if (avi != null) {
        avi.close();
      }
    }
  }

  private static JpegInfo info(byte[] jpeg) throws IOException {
    try {
      return JpegInfo.of(JpegFrame.parse(jpeg));
    } catch (JpegFormatException e) {
      throw new IOException("a recorded frame is not a JPEG: " + e.getMessage(), e);
    }
  }

  private FrameCursor cursorWithFrames(String id, long from, long to) {
    FrameCursor cursor = store.frames(id, from, to);
    if (!cursor.hasNext()) {
      cursor.close();
      throw nothingRecorded(id, from, to);
    }
    return cursor;
  }

  private static BodySender.Refusal nothingRecorded(String id, long from, long to) {
    return new BodySender.Refusal(HttpResponseStatus.NOT_FOUND, "camera '" + id + "' has no recording from "
        + iso(from) + (to == Long.MAX_VALUE ? " on" : " to " + iso(to)));
  }

  private static void checkOrder(long from, long to) {
    if (to < from) {
      throw new TimeParams.BadParameter("to is before from");
    }
  }

  private HttpResponse mjpegHead() {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, writer.contentType())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    return head;
  }

  /** The folder of exports being written ({@link #EXPORTS} in the record folder), created when missing. */
  static Path exportDir(RecordingStore store) throws IOException {
    return Files.createDirectories(store.dir().resolve(EXPORTS));
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temporary file: the system's temp cleaning gets it
    }
  }

  static String iso(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L)
        .toString();
  }

  /** {@code 20261202T090000Z}: a time for file names. */
  static String compact(long micros) {
    return iso(micros - Math.floorMod(micros, 1_000_000)).replace("-", "").replace(":", "");
  }

  static String seconds(long micros) {
    return String.format("%d.%06d", Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000));
  }
}
