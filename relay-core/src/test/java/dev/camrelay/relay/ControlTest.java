package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.ViewerClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Control commands reach the camera untouched and every request gets an answer: the camera's or an error. */
class ControlTest {
  /** Far longer than any camera here takes to answer, so only a camera that never answers times out. */
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    start(CONTROL_TIMEOUT);
  }

  private void start(Duration controlTimeout) throws Exception {
    // No tokens and loopback only: control is open (see Authenticator).
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1)
        .controlTimeout(controlTimeout).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private ViewerClient v1Viewer(String camera) throws InterruptedException {
    ViewerClient v = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/" + camera, "camrelay.v1");
    assertThat(v.isOpen()).isTrue();
    assertThat(v.nextText()).contains("\"type\":\"hello\"").contains("\"control\":true");
    return v;
  }

  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  @Test
  void viewerCommandRoundTripsThroughFramedCamera() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "cam", null, Hello.CONTROL)
        .answerControl(cmd -> "{\"ok\":true,\"quality\":12}")) {
      cam.awaitWelcome();
      ViewerClient v = v1Viewer("cam");
      v.send("{\"type\":\"control\",\"id\":7,\"command\":{\"cmd\":\"quality\",\"value\":12}}");
      Control received = cam.awaitControl();
      assertThat(received.json()).isEqualTo("{\"cmd\":\"quality\",\"value\":12}");
      assertThat(received.reply()).isFalse();
      assertThat(v.nextTextContaining("control-reply")).isEqualTo(
          "{\"type\":\"control-reply\",\"id\":7,\"ok\":true,\"reply\":{\"ok\":true,\"quality\":12}}");
      v.closeBlocking();
    }
  }

  @Test
  void cameraRefusalIsReportedWithItsError() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "cam", null, Hello.CONTROL)
        .answerControl(cmd -> "{\"ok\":false,\"error\":\"unknown framesize\"}")) {
      cam.awaitWelcome();
      ViewerClient v = v1Viewer("cam");
      v.send("{\"type\":\"control\",\"id\":\"a\",\"command\":{\"cmd\":\"framesize\",\"value\":\"HUGE\"}}");
      JsonObject reply = json(v.nextTextContaining("control-reply"));
      assertThat(reply.get("id").getAsString()).isEqualTo("a");
      assertThat(reply.get("ok").getAsBoolean()).isFalse();
      assertThat(reply.get("error").getAsString()).isEqualTo("unknown framesize");
      v.closeBlocking();
    }
  }

  @Test
  void javaControlRoundTrips() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "cam", null, Hello.CONTROL)
        .answerControl(cmd -> "{\"ok\":true,\"echo\":" + cmd + "}")) {
      cam.awaitWelcome();
      String reply = relay.control("cam", "{\"cmd\":\"status\"}").get(10, TimeUnit.SECONDS);
      assertThat(reply).isEqualTo("{\"ok\":true,\"echo\":{\"cmd\":\"status\"}}");
    }
  }

  @Test
  void offlineCameraGetsErrorNotSilence() throws Exception {
    ViewerClient v = v1Viewer("nobody");
    v.send("{\"type\":\"control\",\"id\":1,\"command\":{\"cmd\":\"led\",\"value\":1}}");
    assertThat(v.nextTextContaining("control-reply")).isEqualTo(
        "{\"type\":\"control-reply\",\"id\":1,\"ok\":false,\"error\":\"camera 'nobody' is offline\"}");
    v.closeBlocking();
    assertThatThrownBy(() -> relay.control("ghost", "{\"cmd\":\"status\"}").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ControlException.class).hasMessage("camera 'ghost' is offline")
        .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.OFFLINE);
  }

  @Test
  void cameraWithoutControlCapabilityGetsUnsupportedError() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "plain", null, 0)) {
      cam.awaitWelcome();
      ViewerClient v = v1Viewer("plain");
      v.send("{\"type\":\"control\",\"id\":2,\"command\":{\"cmd\":\"led\",\"value\":1}}");
      assertThat(json(v.nextTextContaining("control-reply")).get("error").getAsString())
          .isEqualTo("camera 'plain' does not accept control commands");
      assertThat(cam.controls).isEmpty();
      v.closeBlocking();
    }
  }

  @Test
  void silentCameraTimesOut() throws Exception {
    // A short timeout is safe here: this camera never answers, so nothing races it.
    relay.close();
    start(Duration.ofMillis(500));
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "mute", null, Hello.CONTROL)) {
      cam.awaitWelcome();
      ViewerClient v = v1Viewer("mute");
      v.send("{\"type\":\"control\",\"id\":3,\"command\":{\"cmd\":\"restart\"}}");
      cam.awaitControl();
      assertThat(json(v.nextTextContaining("control-reply")).get("error").getAsString())
          .isEqualTo("camera 'mute' did not answer within 500 ms");
      v.closeBlocking();
    }
  }

  @Test
  void cameraDisconnectingBeforeReplyingFailsThePendingCommand() throws Exception {
    FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "flaky", null, Hello.CONTROL);
    cam.awaitWelcome();
    var pending = relay.control("flaky", "{\"cmd\":\"status\"}");
    cam.awaitControl();
    cam.close();
    assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(ControlException.class)
        .extracting(e -> ((ControlException) e).kind()).isIn(ControlException.Kind.DISCONNECTED);
  }

  @Test
  void webSocketCameraGetsCommandsAsTextAndAnswersWithId() throws Exception {
    ViewerClient wsCam = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/ingest/wscam");
    assertThat(wsCam.isOpen()).isTrue();
    // The relay attaches the source after its handshake response: a command sent before that finds it offline.
    Await.until("the WebSocket camera is attached",
        () -> relay.camera("wscam").map(CameraStats::connected).orElse(false));
    ViewerClient v = v1Viewer("wscam");
    v.send("{\"type\":\"control\",\"id\":9,\"command\":{\"cmd\":\"led\",\"value\":128}}");
    JsonObject command = json(wsCam.nextText());
    assertThat(command.get("cmd").getAsString()).isEqualTo("led");
    assertThat(command.get("value").getAsInt()).isEqualTo(128);
    long requestId = command.get("id").getAsLong();
    wsCam.send("{\"id\":" + requestId + ",\"ok\":true,\"led\":128}");
    assertThat(v.nextTextContaining("control-reply")).isEqualTo(
        "{\"type\":\"control-reply\",\"id\":9,\"ok\":true,\"reply\":{\"ok\":true,\"led\":128}}");
    v.closeBlocking();
    wsCam.closeBlocking();
  }

  @Test
  void floodOfControlMessagesIsRateLimited() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "cam", null, Hello.CONTROL)
        .answerControl(cmd -> "{\"ok\":true}")) {
      cam.awaitWelcome();
      ViewerClient v = v1Viewer("cam");
      for (int i = 0; i < 50; i++) {
        v.send("{\"type\":\"control\",\"id\":" + i + ",\"command\":{\"cmd\":\"status\"}}");
      }
      assertThat(v.nextTextContaining("rate limited")).contains("at most 10 control messages per second");
      v.closeBlocking();
    }
  }

  @Test
  void oversizedControlMessageClosesTheViewerWith1009() throws Exception {
    ViewerClient v = v1Viewer("cam");
    v.send("{\"type\":\"control\",\"id\":1,\"command\":{\"pad\":\"" + "x".repeat(9000) + "\"}}");
    assertThat(v.waitClosed()).isTrue();
    assertThat(v.closeCode).isEqualTo(1009);
  }

  @Test
  void malformedControlMessagesGetErrorReplies() throws Exception {
    ViewerClient v = v1Viewer("cam");
    v.send("not json");
    assertThat(json(v.nextTextContaining("control-reply")).get("error").getAsString())
        .isEqualTo("not a JSON object");
    v.send("{\"type\":\"control\",\"id\":4,\"command\":\"led\"}");
    assertThat(json(v.nextTextContaining("control-reply")).get("error").getAsString())
        .isEqualTo("\"command\" must be a JSON object");
    v.closeBlocking();
    assertThatThrownBy(() -> relay.control("cam", "[1,2]").get(10, TimeUnit.SECONDS))
        .cause().hasMessage("command is not a JSON object");
  }
}
