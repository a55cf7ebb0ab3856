package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.internal.past.Past;
import dev.camrelay.relay.internal.record.RecordingStore;
import dev.camrelay.relay.internal.record.TestSegments;
import dev.camrelay.relay.testing.MjpegParts;
import dev.camrelay.relay.testing.MjpegParts.Part;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded past over real sockets: two finished segments of camera "yard" written with the recorder's own
 * AVI writer and sidecar (20 frames at 10 fps from 09:00:00, a minute's gap, 10 frames at 2 fps from 09:01:01),
 * read back through snapshot ?at=, the recordings list, segment downloads with Range, replay, timelapse and export.
 */
class PastOverHttpTest {
  /** 2026-12-02T09:00:00Z in microseconds. */
  static final long T0 = 1_796_202_000_000_000L;
  static final long SECOND = 1_000_000;

  @TempDir Path dir;
  private HttpFixture http;
  private final List<byte[]> jpegs = new ArrayList<>();
  private final List<Long> times = new ArrayList<>();
  private Path firstSegment;

  @BeforeEach
  void record() throws IOException {
    List<TestSegments.Frame> a = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      a.add(frame(i, T0 + i * SECOND / 10));
    }
    List<TestSegments.Frame> b = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      b.add(frame(20 + i, T0 + 61 * SECOND + i * SECOND / 2));
    }
    firstSegment = TestSegments.write(dir, "yard", 160, 120, a);
    TestSegments.write(dir, "yard", 160, 120, b);
    http = new HttpFixture(TestConfig.builder(), new Past(new RecordingStore(dir)));
    http.publish("yard", jpegs.get(0)); // the relay knows the camera
  }

  private TestSegments.Frame frame(int number, long micros) {
    byte[] jpeg = dev.camrelay.relay.testing.TestJpegs.frame(number);
    jpegs.add(jpeg);
    times.add(micros);
    return new TestSegments.Frame(micros, jpeg);
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
  }

  @Test
  void snapshotAtATimeIsTheRecordedFrameNearestIt() throws Exception {
    HttpResponse<byte[]> r = http.get("/cam/yard/snapshot.jpg?at=" + (T0 + 1_040_000) / 1000);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("image/jpeg");
    assertThat(r.body()).isEqualTo(jpegs.get(10));
    assertThat(r.headers().firstValue("x-timestamp")).hasValue("1796202001.000000");

    HttpResponse<byte[]> iso = http.get("/cam/yard/snapshot.jpg?at=2026-12-02T10:01:02.3%2B01:00");
    assertThat(iso.statusCode()).isEqualTo(200);
    assertThat(iso.body()).as("09:01:02.3 is nearest the frame at 09:01:02.5").isEqualTo(jpegs.get(23));
  }

  @Test
  void snapshotAtATimeOutsideTheRecordedRangesIs404AndABadTimeIs400NamingIt() throws Exception {
    HttpResponse<byte[]> before = http.get("/cam/yard/snapshot.jpg?at=2026-12-02T08:00:00Z");
    assertThat(before.statusCode()).isEqualTo(404);
    assertThat(text(before)).contains("camera 'yard' has no recording at 2026-12-02T08:00:00Z");
    assertThat(http.get("/cam/yard/snapshot.jpg?at=2026-12-02T09:00:30Z").statusCode()).as("in the gap")
        .isEqualTo(404);
    HttpResponse<byte[]> bad = http.get("/cam/yard/snapshot.jpg?at=noon");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(text(bad)).startsWith("at='noon' is not a time");
  }

  @Test
  void recordingsListSegmentsWithDownloadUrlsAndTheRecordedRanges() throws Exception {
    HttpResponse<byte[]> r = http.get("/cam/yard/recordings");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject json = JsonParser.parseString(text(r)).getAsJsonObject();
    JsonArray segments = json.getAsJsonArray("segments");
    assertThat(segments).hasSize(2);
    JsonObject first = segments.get(0).getAsJsonObject();
    assertThat(first.get("start").getAsString()).isEqualTo("2026-12-02T09:00:00Z");
    assertThat(first.get("end").getAsString()).isEqualTo("2026-12-02T09:00:01.900Z");
    assertThat(first.get("frames").getAsLong()).isEqualTo(20);
    assertThat(first.get("bytes").getAsLong()).isEqualTo(Files.size(firstSegment));
    assertThat(first.get("url").getAsString())
        .isEqualTo("/cam/yard/recordings/" + firstSegment.getFileName());
    JsonArray ranges = json.getAsJsonArray("ranges");
    assertThat(ranges).hasSize(2);
    assertThat(ranges.get(1).getAsJsonObject().get("startMs").getAsLong()).isEqualTo((T0 + 61 * SECOND) / 1000);
    assertThat(ranges.get(1).getAsJsonObject().get("end").getAsString()).isEqualTo("2026-12-02T09:01:05.500Z");
  }

  @Test
  void aSegmentDownloadsWholeOrByRangeAndARangePastTheEndIs416() throws Exception {
    byte[] file = Files.readAllBytes(firstSegment);
    String url = "/cam/yard/recordings/" + firstSegment.getFileName();
    HttpResponse<byte[]> whole = http.get(url);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("accept-ranges")).hasValue("bytes");
    assertThat(whole.headers().firstValue("content-type")).hasValue("video/x-msvideo");
    assertThat(whole.body()).isEqualTo(file);
    Path downloaded = dir.resolve("downloaded.avi");
    Files.write(downloaded, whole.body());
    assertThat(TestSegments.ffprobeFrames(downloaded)).isEqualTo(20);

    HttpResponse<byte[]> middle = http.get(url, "Range", "bytes=100-199");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("content-range")).hasValue("bytes 100-199/" + file.length);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(file, 100, 200));

    HttpResponse<byte[]> tail = http.get(url, "Range", "bytes=-10");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(file, file.length - 10, file.length));
    HttpResponse<byte[]> rest = http.get(url, "Range", "bytes=" + (file.length - 5) + "-");
    assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(file, file.length - 5, file.length));

    HttpResponse<byte[]> past = http.get(url, "Range", "bytes=" + file.length + "-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("content-range")).hasValue("bytes */" + file.length);

    assertThat(http.get(url, "Range", "bytes=0-1,5-9").statusCode()).as("several ranges: the whole file")
        .isEqualTo(200);
    assertThat(http.get("/cam/yard/recordings/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
    assertThat(http.get("/cam/yard/recordings/" + firstSegment.getFileName().toString().replace(".avi", ".times"))
        .statusCode()).as("only segments are served").isEqualTo(404);
  }

  @Test
  void replayKeepsTheRecordedOrderAndTimesAndAtSpeedFourTakesAQuarterOfTheTime() throws Exception {
    long started = System.nanoTime();
    List<Part> parts = mjpeg("/cam/yard/replay.mjpeg?from=" + T0 / 1000 + "&to=2026-12-02T09:00:01.9Z&speed=4");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(parts).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(parts.get(i).jpeg()).as("part %d", i).isEqualTo(jpegs.get(i));
      assertThat(parts.get(i).micros()).isEqualTo(times.get(i));
    }
    // Never faster than the pace (1.9 s of recording at 4x); how much slower depends on the machine.
    assertThat(tookMs).isGreaterThanOrEqualTo(1900 / 4 - 50);
  }

  @Test
  void ffmpegReadsTheReplayStreamAndABrowserGetsAdvanceHeaders() throws Exception {
    String target = "/cam/yard/replay.mjpeg?from=" + T0 / 1000 + "&to=2026-12-02T09:00:01.9Z&speed=64";
    assertThat(TestSegments.ffprobeMjpegFrames("http://127.0.0.1:" + http.port + target)).isEqualTo(20);

    HttpResponse<byte[]> browser = http.get(target + "&advance=1");
    String header = "--camrelayframe\r\nContent-Type: image/jpeg\r\n\r\n";
    byte[] body = browser.body();
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 20; i++) {
      expected.writeBytes(i == 0 ? header.getBytes(StandardCharsets.US_ASCII)
          : ("\r\n" + header).getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(jpegs.get(i));
    }
    expected.writeBytes(("\r\n" + header).getBytes(StandardCharsets.US_ASCII));
    assertThat(body).isEqualTo(expected.toByteArray());
  }

  @Test
  void replayAcrossAGapGoesOnWithTheNextSegmentAndOutsideTheRecordingsIs404() throws Exception {
    List<Part> parts = mjpeg("/cam/yard/replay.mjpeg?from=2026-12-02T09:00:01.5Z&to=2026-12-02T09:01:02Z&speed=64");
    assertThat(parts).extracting(Part::micros).containsExactlyElementsOf(
        times.stream().filter(t -> t >= T0 + 1_500_000 && t <= T0 + 62 * SECOND).toList());
    HttpResponse<byte[]> none = http.get("/cam/yard/replay.mjpeg?from=2026-12-02T10:00:00Z");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(text(none)).contains("no recording from 2026-12-02T10:00:00Z");
    assertThat(http.get("/cam/yard/replay.mjpeg?from=2026-12-02T09:00:00Z&speed=100").statusCode()).isEqualTo(400);
    assertThat(text(http.get("/cam/yard/replay.mjpeg"))).contains("the parameter 'from' is required");
  }

  @Test
  void aTimelapseHasOneFramePerStepWhereTheCameraRecorded() throws Exception {
    List<Part> parts = mjpeg("/cam/yard/timelapse.mjpeg?from=2026-12-02T09:00:00Z&to=2026-12-02T09:01:05Z"
        + "&every=1s&fps=60");
    // Steps at 0 and 1 s in the first segment, 61..65 s in the second; the gap's steps have no frame near them.
    assertThat(parts).extracting(Part::micros).containsExactly(T0, T0 + SECOND, T0 + 61 * SECOND,
        T0 + 62 * SECOND, T0 + 63 * SECOND, T0 + 64 * SECOND, T0 + 65 * SECOND);
    HttpResponse<byte[]> tooMany = http.get("/cam/yard/timelapse.mjpeg?from=2026-12-02T09:00:00Z"
        + "&to=2026-12-03T09:00:00Z&every=10ms");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(text(tooMany)).startsWith("every=10ms is too short for from..to: at most 100000 steps");
  }

  @Test
  void anExportIsOneAviOfTheRangeThatFfmpegDecodes() throws Exception {
    HttpResponse<byte[]> r = http.get("/cam/yard/export.avi?from=2026-12-02T09:00:00.5Z&to=2026-12-02T09:01:02Z");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-disposition")).hasValue(
        "attachment; filename=\"yard-20261202T090000Z.avi\"");
    Path export = dir.resolve("export.avi");
    Files.write(export, r.body());
    assertThat(TestSegments.ffprobeFrames(export)).isEqualTo(15 + 3);
    assertThat(TestSegments.ffmpegErrors(export)).isEmpty();
    dev.camrelay.relay.testing.Await.until("the temporary export deleted", () -> {
      try (var files = Files.list(dir.resolve("+exports"))) {
        return files.findAny().isEmpty();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void thePastTakesTheSnapshotsTokenRulesScopedTokensAndShareLinksIncluded() throws Exception {
    http.close();
    http = new HttpFixture(TestConfig.builder().viewerToken("v13wer").viewerToken("n3ighb0ur", Set.of("porch")),
        new Past(new RecordingStore(dir)));
    http.publish("yard", jpegs.get(0));
    String at = "/cam/yard/snapshot.jpg?at=" + T0 / 1000;
    assertThat(http.get(at).statusCode()).isEqualTo(401);
    assertThat(http.get("/cam/yard/recordings", "Authorization", "Bearer n3ighb0ur").statusCode())
        .as("a token for another camera").isEqualTo(403);
    assertThat(http.get(at + "&token=v13wer").statusCode()).isEqualTo(200);
    String link = dev.camrelay.relay.ShareLinkSigner.withViewerToken("v13wer").sign("yard", Duration.ofMinutes(5));
    assertThat(http.get("/cam/yard/recordings?token=" + link).statusCode()).isEqualTo(200);
    assertThat(http.get("/cam/porch/recordings?token=" + link).statusCode()).isEqualTo(403);
    HttpResponse<byte[]> head = http.client.send(java.net.http.HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + http.port + "/cam/yard/recordings/" + firstSegment.getFileName() + "?token=v13wer"))
        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("content-length")).hasValue(Files.size(firstSegment));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void viewersThatStopReadingAReplayDoNotHoldUpAnotherReplay() throws Exception {
    List<TestSegments.Frame> big = new ArrayList<>();
    long start = T0 + 3600 * SECOND;
    for (int i = 0; i < 40; i++) {
      big.add(new TestSegments.Frame(start + i * SECOND / 100,
          dev.camrelay.relay.testing.TestJpegs.bigFrame(i, 320, 240)));
    }
    TestSegments.write(dir, "yard", 320, 240, big);
    String target = "/cam/yard/replay.mjpeg?from=" + start / 1000 + "&speed=64";
    List<java.net.Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) { // more stalled viewers than the past has threads
        java.net.Socket s = new java.net.Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", http.port));
        s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        stalled.add(s);
      }
      List<Part> parts = mjpeg(target);
      assertThat(parts).hasSize(40);
      assertThat(parts.get(39).jpeg()).isEqualTo(big.get(39).jpeg());
    } finally {
      for (java.net.Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void withoutRecordingsThePastSaysHowToTurnThemOn() throws Exception {
    http.close();
    http = new HttpFixture(TestConfig.builder(), Past.none());
    HttpResponse<byte[]> r = http.get("/cam/default/replay.mjpeg?from=0");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(text(r)).contains("--record-dir");
    HttpResponse<byte[]> list = http.get("/cam/default/recordings");
    assertThat(list.statusCode()).as("a page may ask any relay").isEqualTo(200);
    assertThat(text(list)).contains("\"recording\":false").contains("\"ranges\":[]");
  }

  List<Part> mjpeg(String target) throws IOException, InterruptedException {
    return MjpegParts.get(http.client, "http://127.0.0.1:" + http.port + target);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
