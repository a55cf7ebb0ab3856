package dev.camrelay.examples.custom;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.DetachReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CustomSourceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  @Timeout(90)
  void aWebSocketViewerSeesTheSourcesFramesWithTheSourcesOwnNumbersAndClock() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (CustomSource app = new CustomSource("127.0.0.1", "clock", 20, null, 0, 0, new PrintStream(printed, true))) {
      int httpPort = app.relay().httpPort();
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Open http://localhost:" + httpPort + "/")
          .contains("/cam/clock/stream.mjpeg");

      Viewer viewer = new Viewer();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + app.relay().wsPort() + "/cam/clock"), viewer)
          .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      try {
        for (int i = 0; i < 3; i++) { // every binary message is one whole JPEG of the clock
          byte[] jpeg = viewer.frames.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
          assertThat(jpeg).as("frame %d within %d s", i + 1, PATIENCE.toSeconds()).isNotNull();
          JpegInfo info = JpegInfo.of(JpegFrame.parse(jpeg));
          assertThat(info.width()).isEqualTo(320);
          assertThat(info.height()).isEqualTo(240);
        }
      } finally {
        ws.abort();
      }

      CameraHub hub = app.relay();
      CameraStats camera = hub.camera("clock").orElseThrow();
      assertThat(camera.connected()).isTrue();
      assertThat(camera.ingest()).isEqualTo("example");
      assertThat(camera.control()).isTrue();
      CameraFrame latest = hub.latestFrame("clock").orElseThrow();
      // the source counts a frame as published right after the relay took it: allow the one in between
      assertThat(latest.sequence()).isBetween(1L, app.source().published() + 1);
      // The source's clock counts from its start; the relay's receive time is wall-clock time since 1970.
      assertThat(latest.captureMicros()).isBetween(0L, TimeUnit.HOURS.toMicros(1));
      assertThat(latest.receivedAtMicros()).isGreaterThan(TimeUnit.DAYS.toMicros(365 * 50));
    }
  }

  @Test
  @Timeout(90)
  void controlCommandsRoundTripToTheSourceAndChangeItsRate() throws Exception {
    try (CustomSource app = new CustomSource("127.0.0.1", "clock", 20, null, -1, 0,
        new PrintStream(new ByteArrayOutputStream(), true))) {
      CameraHub hub = app.relay();
      JsonObject status = control(hub, "{\"cmd\":\"status\"}");
      assertThat(status.get("ok").getAsBoolean()).isTrue();
      assertThat(status.get("fps").getAsDouble()).isEqualTo(20.0);
      assertThat(status.get("frames").getAsLong()).isNotNegative();

      JsonObject changed = control(hub, "{\"cmd\":\"fps\",\"value\":5}");
      assertThat(changed.get("ok").getAsBoolean()).isTrue();
      assertThat(changed.get("fps").getAsDouble()).isEqualTo(5.0);
      assertThat(control(hub, "{\"cmd\":\"status\"}").get("fps").getAsDouble()).isEqualTo(5.0);
      assertThat(app.source().fps()).isEqualTo(5.0);

      assertThat(control(hub, "{\"cmd\":\"fps\",\"value\":1000}").get("ok").getAsBoolean()).isFalse();
      assertThat(hub.control("clock", "{\"cmd\":\"dance\"}").get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo("{\"ok\":false,\"error\":\"unknown command\"}");
    }
  }

  @Test
  @Timeout(90)
  void aSecondSourceWithTheSameIdReplacesTheFirstWhichIsToldAndStops() throws Exception {
    try (CustomSource app = new CustomSource("127.0.0.1", "clock", 20, null, -1, 0,
        new PrintStream(new ByteArrayOutputStream(), true));
        ClockSource second = new ClockSource(7, null)) {
      CameraHub hub = app.relay();
      ClockSource first = app.source();
      await(() -> first.published() > 0, "the first source published a frame");

      second.attach(hub, "clock");

      await(() -> first.detachedBecause() == DetachReason.REPLACED, "the first source was told it was replaced");
      await(first::stopped, "the first source's thread stopped");
      assertThat(control(hub, "{\"cmd\":\"status\"}").get("fps").getAsDouble())
          .as("answered by the second source").isEqualTo(7.0);
      await(() -> second.published() > 0, "the second source published a frame"); // counted only when accepted
      assertThat(second.detachedBecause()).isNull();
    }
  }

  @Test
  void clockFramesAreCompleteJpegs() throws Exception {
    JpegInfo info = JpegInfo.of(JpegFrame.parse(ClockSource.clock(7)));
    assertThat(info.width()).isEqualTo(320);
  }

  private static JsonObject control(CameraHub hub, String json) throws Exception {
    String reply = hub.control("clock", json).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    return JsonParser.parseString(reply).getAsJsonObject();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** A plain WebSocket viewer (the JDK's client): collects every binary message, i.e. every JPEG. */
  private static final class Viewer implements WebSocket.Listener {
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.writeBytes(bytes);
      if (last) {
        frames.add(partial.toByteArray());
        partial.reset();
      }
      ws.request(1);
      return null;
    }
  }
}
