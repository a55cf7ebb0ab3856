package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.internal.record.TestSegments;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.AviFrames;
import dev.camrelay.relay.testing.MjpegParts;
import dev.camrelay.relay.testing.MjpegParts.Part;
import dev.camrelay.relay.testing.TestJpegs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The past end to end: a relay that records (the real recorder, {@code recordDir}) and keeps a pre-event ring, a
 * camera publishing numbered JPEGs at about 20 fps the whole time, and real HTTP clients reading the recordings
 * while they are being written, and saving clips.
 */
class RecordedPastTest {
  private static final String TOKEN = "ctl-s3cret";

  @TempDir Path dir;
  private CameraRelay relay;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final AtomicBoolean publishing = new AtomicBoolean(true);
  private final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
  /** When each frame number was published (relay clock, micros), by number. */
  private final Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private Thread camera;

  private void start(CameraRelay.Builder builder) throws Exception {
    relay = builder.bind("127.0.0.1").tcpPort(-1).wsPort(0).rtspPort(-1).httpPort(0).controlToken(TOKEN).build();
    relay.start();
    camera = new Thread(() -> {
      for (int i = 0; publishing.get(); i++) {
        byte[] jpeg = TestJpegs.frame(i);
        sentAt.put(i, System.currentTimeMillis() * 1000);
        sent.add(jpeg);
        try {
          relay.publish("gate", jpeg);
        } catch (dev.camrelay.frame.jpeg.JpegFormatException e) {
          throw new AssertionError(e);
        }
        count.incrementAndGet();
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "test-camera");
    camera.start();
  }

  @AfterEach
  void stop() throws Exception {
    publishing.set(false);
    if (camera != null) {
      camera.join(5000);
    }
    if (relay != null) {
      relay.close();
    }
  }

  private String url(String target) {
    return "http://127.0.0.1:" + relay.httpPort() + target;
  }

  private HttpResponse<byte[]> get(String target) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url(target))).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<String> post(String target, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(target))).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject json(String target) throws Exception {
    HttpResponse<byte[]> r = get(target);
    assertThat(r.statusCode()).as(target).isEqualTo(200);
    return JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
  }

  private int numberOf(byte[] jpeg) {
    synchronized (sent) {
      for (int i = 0; i < sent.size(); i++) {
        if (java.util.Arrays.equals(sent.get(i), jpeg)) {
          return i;
        }
      }
    }
    throw new AssertionError("a frame the camera never sent");
  }

  @Test
  void aReplayWhileTheCameraIsStillRecordingHasTheRecordedFramesInOrderAsTheExportOfTheSameRange()
      throws Exception {
    start(CameraRelay.builder().recordDir(dir));
    long from = awaitRecordedSeconds(2);
    JsonObject segment = json("/cam/gate/recordings").getAsJsonArray("segments").get(0).getAsJsonObject();
    assertThat(segment.get("recording").getAsBoolean()).as("still being written").isTrue();
    String range = "from=" + from + "&to=" + (from + 1500);

    List<Part> replay = MjpegParts.get(client, url("/cam/gate/replay.mjpeg?" + range + "&speed=2"));
    assertThat(replay.size()).as("about 30 frames in 1.5 s at 20 fps").isBetween(10, 40);
    List<Integer> numbers = replay.stream().map(p -> numberOf(p.jpeg())).toList();
    assertThat(numbers).as("in the order sent, none twice").isSorted().doesNotHaveDuplicates();
    assertThat(replay).extracting(Part::micros).isSorted()
        .allMatch(t -> t >= from * 1000 && t <= (from + 1500) * 1000);

    HttpResponse<byte[]> export = get("/cam/gate/export.avi?" + range);
    assertThat(export.statusCode()).isEqualTo(200);
    Path file = dir.resolve("export.avi");
    Files.write(file, export.body());
    assertThat(TestSegments.ffprobeFrames(file)).isEqualTo(replay.size());
    assertThat(TestSegments.ffmpegErrors(file)).isEmpty();
    assertThat(AviFrames.read(file)).usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(replay.stream().map(Part::jpeg).toList());

    HttpResponse<byte[]> at = get("/cam/gate/snapshot.jpg?at=" + (from + 1000));
    assertThat(at.statusCode()).isEqualTo(200);
    // read whole: cutting the fraction off put a frame up to 999 ms early
    long frameMs = MjpegParts.timestampMicros(at.headers().firstValue("x-timestamp").orElseThrow()) / 1000;
    assertThat(Math.abs(frameMs - (from + 1000))).as("nearest frame at 20 fps, gaps of a loaded machine allowed")
        .isLessThanOrEqualTo(500);
  }

  @Test
  void aWebSocketViewerWithFromGetsTheSameFramesAsTheMjpegReplayWithTheirTimesThenTheEnd() throws Exception {
    start(CameraRelay.builder().recordDir(dir));
    long from = awaitRecordedSeconds(2);
    String range = "from=" + from + "&to=" + (from + 1000) + "&speed=4";
    List<Part> mjpeg = MjpegParts.get(client, url("/cam/gate/replay.mjpeg?" + range));

    List<byte[]> frames = Collections.synchronizedList(new ArrayList<>());
    List<String> texts = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();
    java.net.http.WebSocket ws = client.newWebSocketBuilder().subprotocols("camrelay.v1")
        .buildAsync(URI.create("ws://127.0.0.1:" + relay.wsPort() + "/cam/gate?" + range + "&token=" + TOKEN),
            new java.net.http.WebSocket.Listener() {
              private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

              @Override
              public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket w,
                  java.nio.ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                partial.writeBytes(b);
                if (last) {
                  frames.add(partial.toByteArray());
                  partial.reset();
                }
                w.request(1);
                return null;
              }

              @Override
              public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence text,
                  boolean last) {
                texts.add(text.toString());
                w.request(1);
                return null;
              }

              @Override
              public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code,
                  String reason) {
                closed.complete(code + " " + reason);
                return null;
              }
            }).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(closed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("1000 replay ended");
    assertThat(frames).usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(mjpeg.stream().map(Part::jpeg).toList());
    assertThat(texts.get(0)).startsWith("{\"type\":\"replay\",\"from\":" + from);
    assertThat(texts.subList(1, texts.size())).hasSize(frames.size()).allMatch(t -> t.contains("replay-frame"));
    ws.abort();

    java.util.concurrent.CompletableFuture<java.net.http.WebSocket> bad = client.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + relay.wsPort() + "/cam/gate?from=soon"),
            new java.net.http.WebSocket.Listener() { });
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bad.get(10, java.util.concurrent.TimeUnit.SECONDS)))
        .hasStackTraceContaining("400");
  }

  /** Waits until the camera has {@code seconds} recorded in one range; returns the range's start (epoch ms). */
  private long awaitRecordedSeconds(int seconds) {
    Await.until(seconds + " s recorded", Duration.ofSeconds(20), () -> {
      try {
        HttpResponse<byte[]> r = get("/cam/gate/recordings");
        if (r.statusCode() == 404) {
          return false;  // the camera's first frame has not reached the hub yet
        }
        JsonArray ranges = json("/cam/gate/recordings").getAsJsonArray("ranges");
        return ranges.size() == 1 && ranges.get(0).getAsJsonObject().get("endMs").getAsLong()
            - ranges.get(0).getAsJsonObject().get("startMs").getAsLong() >= seconds * 1000L;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    try {
      return json("/cam/gate/recordings").getAsJsonArray("ranges").get(0).getAsJsonObject().get("startMs")
          .getAsLong();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aClipHoldsTheFramesFromBeforeThePostAndAfterItAsOneAviFfmpegDecodes() throws Exception {
    start(CameraRelay.builder().preEvent(Duration.ofSeconds(5)).clipsDir(dir.resolve("clips")));
    Await.until("three seconds of frames", Duration.ofSeconds(20), () -> count.get() >= 60);
    int lastBefore = count.get() - 1;
    long postedAt = System.currentTimeMillis() * 1000;

    assertThat(post("/cam/gate/clips?before=2s&after=1s", null).statusCode()).isEqualTo(401);
    assertThat(post("/cam/gate/clips?before=2s&after=1s", "wrong").statusCode()).isEqualTo(403);
    assertThat(post("/cam/gate/clips?before=soon", TOKEN).body()).startsWith("before='soon' is not a duration");
    HttpResponse<String> saved = post("/cam/gate/clips?before=2s&after=1s", TOKEN);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(202);
    JsonObject clip = JsonParser.parseString(saved.body()).getAsJsonObject();
    String clipUrl = clip.get("url").getAsString();
    assertThat(clipUrl).startsWith("/cam/gate/clips/").endsWith(".avi");
    assertThat(clip.get("saving").getAsBoolean()).isTrue();

    Await.until("the clip saved", Duration.ofSeconds(20), () -> {
      try {
        JsonArray clips = json("/cam/gate/clips").getAsJsonArray("clips");
        return clips.size() == 1 && !clips.get(0).getAsJsonObject().get("saving").getAsBoolean();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    HttpResponse<byte[]> download = get(clipUrl);
    assertThat(download.statusCode()).isEqualTo(200);
    Path file = dir.resolve("clip.avi");
    Files.write(file, download.body());
    List<byte[]> frames = AviFrames.read(file);
    assertThat(TestSegments.ffprobeFrames(file)).isEqualTo(frames.size());
    assertThat(TestSegments.ffmpegErrors(file)).isEmpty();
    List<Integer> numbers = frames.stream().map(this::numberOf).toList();
    assertThat(numbers).isSorted().doesNotHaveDuplicates();
    assertThat(numbers).as("frames sent before the POST").contains(lastBefore);
    assertThat(sentAt.get(numbers.get(0))).as("the first frame is from about 2 s before the POST")
        .isLessThan(postedAt - 1_000_000);
    assertThat(numbers.get(numbers.size() - 1)).as("and frames after it").isGreaterThan(lastBefore + 5);
    assertThat(Files.list(dir.resolve("clips").resolve("gate")).map(p -> p.getFileName().toString()))
        .as("no partial file left").allMatch(n -> n.endsWith(".avi"));
  }

  @Test
  void withRecordingClipsGoBesideTheSegmentsAndClipsOffSaysHowToTurnThemOn() throws Exception {
    start(CameraRelay.builder().recordDir(dir).preEvent(Duration.ofSeconds(2)));
    Await.until("a frame", Duration.ofSeconds(20), () -> count.get() >= 5);
    HttpResponse<String> saved = post("/cam/gate/clips?before=1s&after=0s", TOKEN);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(202);
    String name = JsonParser.parseString(saved.body()).getAsJsonObject().get("clip").getAsString();
    Await.until("the clip in the record folder", Duration.ofSeconds(20),
        () -> Files.exists(dir.resolve("gate").resolve("clips").resolve(name)));
    assertThat(post("/cam/nobody/clips", TOKEN).statusCode()).isEqualTo(404);
    for (int i = 0; i < 4; i++) {
      assertThat(post("/cam/gate/clips?after=1m", TOKEN).statusCode()).isEqualTo(202);
    }
    HttpResponse<String> busy = post("/cam/gate/clips?after=1m", TOKEN);
    assertThat(busy.statusCode()).isEqualTo(503);
    assertThat(busy.body()).startsWith("already saving 4 clips");
    assertThat(post("/cam/gate/clips?after=11m", TOKEN).body()).startsWith("after=660s is too long: at most 10m");

    relay.close();
    publishing.set(false);
    camera.join(5000);
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).rtspPort(-1).httpPort(0)
        .controlToken(TOKEN).build();
    relay.start();
    relay.publish("gate", TestJpegs.frame(1));
    HttpResponse<String> off = post("/cam/gate/clips", TOKEN);
    assertThat(off.statusCode()).isEqualTo(404);
    assertThat(off.body()).contains("--pre-event");
  }
}
