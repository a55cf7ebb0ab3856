package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A new WebSocket viewer of a camera whose source is gone: a plain client (which cannot be told) gets no stale frame,
 * only the camera's next live one; a {@code camrelay.v1} client gets the last frame after a status message saying the
 * camera is offline and how old that frame is. A connected camera's latest frame still goes to a new viewer at once.
 */
class OfflineCameraViewerTest {
  private static final Map<String, String> V1 = Map.of("Sec-WebSocket-Protocol", "camrelay.v1");
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private CameraStats stats(String id) {
    return relay.camera(id).orElseThrow();
  }

  /** A framed camera that has sent {@code jpeg} and is published. */
  private FakeCamera cameraWith(String id, byte[] jpeg) throws Exception {
    FakeCamera cam = FakeCamera.framed(relay.tcpPort(), id, null, 0);
    cam.awaitWelcome();
    long before = relay.camera(id).map(CameraStats::framesIn).orElse(0L);
    cam.sendFrame(jpeg);
    Await.until("camera '" + id + "' published its frame", () -> stats(id).framesIn() > before);
    return cam;
  }

  /** Camera {@code id} sent {@code jpeg} and left; its last frame is at least {@code ageMs} old. */
  private void offlineWithLastFrame(String id, byte[] jpeg, long ageMs) throws Exception {
    cameraWith(id, jpeg).close();
    Await.until("camera '" + id + "' is offline", () -> !stats(id).connected());
    Await.until("its last frame is " + ageMs + " ms old", () -> stats(id).lastFrameAgeMs() >= ageMs);
  }

  private static JsonObject json(byte[] text) {
    return JsonParser.parseString(new String(text, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  /** Reads in order up to the first binary message; returns the texts before it, then the binary's payload last. */
  private static List<byte[]> textsThenFirstBinary(RawWs ws) throws IOException {
    List<byte[]> out = new ArrayList<>();
    while (true) {
      RawWs.Frame f = ws.readFrame();
      if (f.opcode() == 9) {
        ws.sendFrame(10, f.payload());
      } else if (f.opcode() == 1 || f.opcode() == 2) {
        out.add(f.payload());
        if (f.opcode() == 2) {
          return out;
        }
      } else {
        throw new AssertionError("unexpected opcode " + f.opcode());
      }
    }
  }

  /** Reads up to the first binary message, which must be {@code frame}; returns the first status before it. */
  private static JsonObject statusBeforeFrame(RawWs ws, byte[] frame) throws IOException {
    List<byte[]> messages = textsThenFirstBinary(ws);
    assertThat(messages.get(messages.size() - 1)).as("the first frame, after the texts").isEqualTo(frame);
    JsonObject status = messages.subList(0, messages.size() - 1).stream().map(OfflineCameraViewerTest::json)
        .filter(m -> "status".equals(m.get("type").getAsString())).findFirst()
        .orElseThrow(() -> new AssertionError("no status message before the frame"));
    assertThat(status.has("lastFrameAgeMs")).as("status %s has lastFrameAgeMs", status).isTrue();
    return status;
  }

  @Test
  void plainViewerOfAnOfflineCameraGetsNoStaleFrameButTheNextLiveOne() throws Exception {
    byte[] stale = TestJpegs.frame(1);
    offlineWithLastFrame("yard", stale, 0);
    try (RawWs viewer = RawWs.open(relay.wsPort(), "/cam/yard")) {
      assertThat(viewer.statusLine).contains("101");
      Await.until("the viewer is attached", () -> stats("yard").viewers() == 1);
      byte[] live = TestJpegs.frame(2);
      try (FakeCamera back = cameraWith("yard", live)) {
        byte[] first = viewer.nextBinary();
        assertThat(Arrays.equals(first, stale) ? "the stale frame" : Arrays.equals(first, live) ? "the live frame" : "?")
            .as("the first frame a plain viewer of an offline camera gets").isEqualTo("the live frame");
      }
    }
  }

  @Test
  void v1ViewerOfAnOfflineCameraIsToldHowOldTheLastFrameIsBeforeItGetsIt() throws Exception {
    byte[] stale = TestJpegs.frame(3);
    offlineWithLastFrame("porch", stale, 300);
    try (RawWs viewer = RawWs.open(relay.wsPort(), "/cam/porch", V1, 0)) {
      assertThat(viewer.statusLine).contains("101");
      JsonObject status = statusBeforeFrame(viewer, stale);
      assertThat(status.get("camera").getAsString()).isEqualTo("porch");
      assertThat(status.get("connected").getAsBoolean()).isFalse();
      assertThat(status.get("lastFrameAgeMs").getAsLong()).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void v1ViewerOfAConnectedCameraGetsStatusConnectedAndTheLatestFrameAtOnce() throws Exception {
    byte[] latest = TestJpegs.frame(4);
    try (FakeCamera cam = cameraWith("gate", latest);
        RawWs viewer = RawWs.open(relay.wsPort(), "/cam/gate", V1, 0)) {
      JsonObject status = statusBeforeFrame(viewer, latest);
      assertThat(status.get("connected").getAsBoolean()).isTrue();
      assertThat(status.get("lastFrameAgeMs").getAsLong()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void plainViewerOfAConnectedCameraGetsItsLatestFrameAtOnce() throws Exception {
    byte[] latest = TestJpegs.frame(5);
    try (FakeCamera cam = cameraWith("door", latest);
        RawWs viewer = RawWs.open(relay.wsPort(), "/cam/door")) {
      assertThat(viewer.nextBinary()).isEqualTo(latest);
    }
  }
}
