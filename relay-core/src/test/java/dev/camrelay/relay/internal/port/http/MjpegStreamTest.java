package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MjpegStreamTest {
  private HttpFixture fixture;

  private HttpFixture start(RelayConfig.Builder config) throws IOException {
    fixture = new HttpFixture(config);
    return fixture;
  }

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void viewerReceivesByteIdenticalJpegsInAPlainNonChunkedMultipartBody() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    byte[] base = TestJpegs.gradient(160, 120, 3);
    byte[] first = TestJpegs.withSequence(base, 0);
    String camera = "garage";
    http.publish(camera, first);
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.get("/cam/garage/stream.mjpeg");
      RawHttp.Head head = raw.readHead();
      assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(head.header("content-type")).isEqualTo("multipart/x-mixed-replace; boundary=camrelayframe");
      assertThat(head.header("connection")).isEqualTo("close");
      assertThat(head.header("cache-control")).contains("no-cache").contains("no-store");
      assertThat(head.headers()).doesNotContainKeys("transfer-encoding", "content-length");

      // The body starts with the boundary itself ("--camrelayframe\r\n"), no preamble, no chunk-size line.
      byte[] start = raw.readBytes(17);
      assertThat(HexFormat.of().formatHex(start)).isEqualTo("2d2d63616d72656c61796672616d650d0a");
      InputStream body = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(start), raw.in);
      // A new viewer gets the latest frame at once.
      assertThat(MultipartReading.readPart(body)).isEqualTo(first);
      for (int i = 1; i <= 20; i++) {
        byte[] jpeg = TestJpegs.withSequence(base, i);
        http.publish(camera, (jpeg));
        assertThat(MultipartReading.readPart(body)).as("frame %d", i).isEqualTo(jpeg);
      }
    }
  }

  @Test
  void viewersOfTheDefaultCameraWaitForItsFirstFrame() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.get("/cam/default/stream.mjpeg");
      assertThat(raw.readHead().status()).isEqualTo(200);
      awaitTrue(() -> http.viewers("default") == 1);
      byte[] jpeg = TestJpegs.gradient(64, 48, 5);
      http.publish("default", jpeg);
      assertThat(MultipartReading.readPart(raw.in)).isEqualTo(jpeg);
    }
  }

  @Test
  void streamOfAnUnknownCameraIs404() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.get("/cam/nobody/stream.mjpeg");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(404);
      assertThat(new String(raw.readBody(head), StandardCharsets.UTF_8)).contains("no camera 'nobody'");
    }
  }

  @Test
  void headOfAStreamSendsTheHeadersOnlyAndCloses() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    http.publish("garage", TestJpegs.gradient(64, 48, 5));
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("HEAD /cam/garage/stream.mjpeg HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-type")).startsWith("multipart/x-mixed-replace");
      assertThat(raw.in.read()).isEqualTo(-1);
    }
  }

  /** Both layouts: Content-Length parts (what ffmpeg gets by default) and advance headers ({@code ?advance=1}). */
  @ParameterizedTest(name = "query \"{0}\"")
  @ValueSource(strings = {"", "?advance=1"})
  void ffmpegAndFfprobeDecodeTheStream(String query) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe")),
        "ffmpeg/ffprobe not installed at /usr/bin: skipping the real-player check");
    HttpFixture http = start(TestConfig.builder());
    int width = 160;
    int height = 120;
    byte[] base = TestJpegs.gradient(width, height, 40);
    http.publish("ff", base);
    AtomicBoolean publishing = new AtomicBoolean(true);
    Thread publisher = new Thread(() -> {
      for (int i = 1; publishing.get(); i++) {
        http.publish("ff", TestJpegs.withSequence(base, i));
        try {
          Thread.sleep(30);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    publisher.start();
    String url = "http://127.0.0.1:" + http.port + "/cam/ff/stream.mjpeg" + query;
    try {
      // As a user would run it: no -f, ffmpeg picks the demuxer from the Content-Type.
      ProcessResult decoded = run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url,
          "-frames:v", "5", "-f", "rawvideo", "-pix_fmt", "gray", "-");
      assertThat(decoded.exit()).as(decoded.stderr()).isZero();
      assertThat(decoded.stdout().length).as("5 decoded gray frames of %dx%d", width, height)
          .isEqualTo(5 * width * height);

      ProcessResult forced = run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "mpjpeg", "-i", url,
          "-frames:v", "3", "-f", "null", "-");
      assertThat(forced.exit()).as(forced.stderr()).isZero();

      ProcessResult probe = run("/usr/bin/ffprobe", "-v", "error", "-select_streams", "v:0",
          "-show_entries", "stream=codec_name,width,height", "-of", "default=noprint_wrappers=1", url);
      assertThat(probe.exit()).as(probe.stderr()).isZero();
      assertThat(new String(probe.stdout(), StandardCharsets.UTF_8))
          .contains("codec_name=mjpeg").contains("width=" + width).contains("height=" + height);
    } finally {
      publishing.set(false);
      publisher.join(5000);
    }
  }

  /**
   * VLC (when installed; it is not part of CI) picks its mjpeg demuxer from the Content-Type and decodes pictures of
   * the right size, in both layouts. VLC refuses to run as root, so as root it runs as nobody.
   */
  @ParameterizedTest(name = "query \"{0}\"")
  @ValueSource(strings = {"", "?advance=1"})
  void vlcDemuxesAndDecodesTheStream(String query) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/cvlc")), "VLC (cvlc) not installed: skipping the VLC check");
    HttpFixture http = start(TestConfig.builder());
    byte[] base = TestJpegs.gradient(160, 120, 30);
    http.publish("vlc", base);
    AtomicBoolean publishing = new AtomicBoolean(true);
    Thread publisher = new Thread(() -> {
      for (int i = 1; publishing.get(); i++) {
        http.publish("vlc", TestJpegs.withSequence(base, i));
        try {
          Thread.sleep(40);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    publisher.start();
    Path log = Files.createTempFile("camrelay-vlc", ".log");
    Process vlc = null;
    try {
      List<String> command = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of("runuser", "-u", "nobody", "--"));
      }
      command.addAll(List.of("/usr/bin/cvlc", "-I", "dummy", "-vv", "--no-audio", "--vout=dummy",
          "http://127.0.0.1:" + http.port + "/cam/vlc/stream.mjpeg" + query));
      vlc = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      // A live stream never ends: watch VLC's log until it has demuxed and decoded, then stop it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String text = "";
      while (System.nanoTime() < deadline && vlc.isAlive() && !(text.contains("Received first picture")
          && text.contains("vsz 160x120"))) {
        Thread.sleep(200);
        text = Files.readString(log, StandardCharsets.ISO_8859_1);
      }
      assertThat(text).as(text).contains("using demux module \"mjpeg\"").contains("Received first picture")
          .containsPattern("original format sz 160x1[0-9]+, of \\(0,0\\), vsz 160x120");
    } finally {
      if (vlc != null) {
        vlc.descendants().forEach(ProcessHandle::destroy);
        vlc.destroy();
        if (!vlc.waitFor(10, TimeUnit.SECONDS)) {
          vlc.descendants().forEach(ProcessHandle::destroyForcibly);
          vlc.destroyForcibly();
        }
      }
      Files.deleteIfExists(log);
      publishing.set(false);
      publisher.join(5000);
    }
  }

  /**
   * Home Assistant's MJPEG camera takes still images from the stream by cutting from the first FF D8 to the first
   * FF D9 of the bytes received; a new viewer's first bytes must therefore hold a whole, current frame (in both
   * layouts: a dashboard whose stream URL asks for advance headers takes its stills from the same URL).
   */
  @ParameterizedTest(name = "query \"{0}\"")
  @ValueSource(strings = {"", "?advance=1"})
  void homeAssistantStyleStillImageExtractionFindsTheLatestFrame(String query) throws Exception {
    HttpFixture http = start(TestConfig.builder());
    http.publish("ha", TestJpegs.gradient(64, 48, 1));
    byte[] latest = TestJpegs.gradient(64, 48, 99);
    http.publish("ha", latest);
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.get("/cam/ha/stream.mjpeg" + query);
      assertThat(raw.readHead().status()).isEqualTo(200);
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      byte[] chunk = new byte[1024];
      byte[] still = null;
      while (still == null) {
        int n = raw.in.read(chunk);
        assertThat(n).as("stream ended before a whole frame").isPositive();
        data.write(chunk, 0, n);
        byte[] bytes = data.toByteArray();
        int end = indexOf(bytes, (byte) 0xFF, (byte) 0xD9);
        int start = indexOf(bytes, (byte) 0xFF, (byte) 0xD8);
        if (end >= 0 && start >= 0) {
          still = java.util.Arrays.copyOfRange(bytes, start, end + 2);
        }
      }
      assertThat(still).isEqualTo(latest);
    }
  }

  private static int indexOf(byte[] bytes, byte first, byte second) {
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == first && bytes[i + 1] == second) {
        return i;
      }
    }
    return -1;
  }

  record ProcessResult(int exit, byte[] stdout, String stderr) {}

  /** Runs a tool with its output in files (pipes could fill up and block it), at most 60 s. */
  private static ProcessResult run(String... command) throws Exception {
    Path out = Files.createTempFile("camrelay-tool", ".out");
    Path err = Files.createTempFile("camrelay-tool", ".err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
      }
      return new ProcessResult(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Two viewers: one never reads (tiny receive window), one reads everything. Frames are published in lock-step with
   * the reading viewer, so it must get every single frame in order however long the other one is stuck; the stuck
   * one is disconnected once its current frame has not gone out for the stall timeout.
   */
  @Test
  void stuckViewerNeitherSlowsAnotherViewerNorStaysConnectedPastTheStallTimeout() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.viewerStallTimeout(Duration.ofMillis(800));
    HttpFixture http = start(config);
    byte[] base = TestJpegs.noise(480, 360, 11);
    assertThat(base.length).as("frames must dwarf the socket buffers").isGreaterThan(150_000);
    String camera = "yard";
    http.publish(camera, TestJpegs.withSequence(base, 0));

    try (RawHttp stuck = RawHttp.connect(http.port, 4096); RawHttp reader = RawHttp.connect(http.port)) {
      stuck.get("/cam/yard/stream.mjpeg");
      awaitTrue(() -> http.viewers(camera) == 1);
      reader.get("/cam/yard/stream.mjpeg");
      assertThat(reader.readHead().status()).isEqualTo(200);
      assertThat(TestJpegs.sequenceOf(MultipartReading.readPart(reader.in))).isEqualTo(0);
      assertThat(http.viewers(camera)).isEqualTo(2);

      int sequence = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (http.viewers(camera) == 2) {
        assertThat(System.nanoTime()).as("stuck viewer still attached after 60 s").isLessThan(deadline);
        byte[] jpeg = TestJpegs.withSequence(base, ++sequence);
        http.publish(camera, (jpeg));
        assertThat(MultipartReading.readPart(reader.in)).as("frame %d to the reading viewer", sequence)
            .isEqualTo(jpeg);
        Thread.sleep(2);
      }
      assertThat(sequence).as("the stuck viewer was kept for a while, not dropped at once").isGreaterThan(1);
      // The reading viewer goes on as before.
      for (int i = 0; i < 5; i++) {
        byte[] jpeg = TestJpegs.withSequence(base, ++sequence);
        http.publish(camera, (jpeg));
        assertThat(MultipartReading.readPart(reader.in)).isEqualTo(jpeg);
      }
      assertThat(stuck.closedByServer()).as("stuck viewer's socket closed by the relay").isTrue();
      PrometheusTextParser metrics = PrometheusTextParser.parse(http.getText("/metrics"));
      assertThat(metrics.value("camrelay_http_mjpeg_viewers")).isEqualTo(1);
      assertThat(metrics.value("camrelay_camera_viewers", "camera", "yard")).isEqualTo(1);
    }
  }

  /**
   * A viewer that reads slower than the camera publishes gets the newest frame each time it catches up, never a
   * backlog: in every round the camera publishes 12 frames while the viewer does not read; afterwards the viewer gets
   * at most the frames already in flight plus the newest one, and the skipped ones are counted.
   */
  @Test
  void slowViewerGetsFewerButFreshFramesAndSkipsAreCounted() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    byte[] base = TestJpegs.noise(480, 360, 12);
    assertThat(base.length).isGreaterThan(150_000);
    String camera = "street";
    http.publish(camera, TestJpegs.withSequence(base, 0));
    int published = 1;
    List<Integer> received = new ArrayList<>();
    try (RawHttp slow = RawHttp.connect(http.port, 8192)) {
      slow.get("/cam/street/stream.mjpeg");
      assertThat(slow.readHead().status()).isEqualTo(200);
      received.add(TestJpegs.sequenceOf(MultipartReading.readPart(slow.in)));
      int sequence = 0;
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 12; i++) {
          http.publish(camera, (TestJpegs.withSequence(base, ++sequence)));
          published++;
        }
        int newest = sequence;
        int inRound = 0;
        int last;
        do {
          last = TestJpegs.sequenceOf(MultipartReading.readPart(slow.in));
          received.add(last);
          inRound++;
        } while (last != newest);
        assertThat(inRound).as("frames delivered in round %d (in flight + newest), not the 12 published", round)
            .isBetween(1, 4);
      }
    }
    assertThat(received).isSorted().doesNotHaveDuplicates();
    assertThat(received.get(received.size() - 1)).isEqualTo(published - 1);
    PrometheusTextParser metrics = PrometheusTextParser.parse(http.getText("/metrics"));
    double sent = metrics.value("camrelay_http_mjpeg_frames_sent_total");
    double skipped = metrics.value("camrelay_http_mjpeg_frames_skipped_total");
    assertThat(sent).isEqualTo(received.size());
    assertThat(skipped).isEqualTo(published - received.size());
    assertThat(skipped).isGreaterThanOrEqualTo(5 * 8);
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(5);
    }
  }

}
