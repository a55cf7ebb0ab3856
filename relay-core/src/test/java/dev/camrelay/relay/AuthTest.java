package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens are checked on every way in, and refusals are specific: ERROR 3 on TCP, HTTP 401 on WebSocket. */
class AuthTest {
  private static final String CAMERA_TOKEN = "cam-secret-1";
  private static final String GARAGE_TOKEN = "garage-only-2";
  private static final String VIEWER_TOKEN = "view-secret-3";
  private static final String CONTROL_TOKEN = "ctl-secret-4";

  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1)
        .cameraToken(CAMERA_TOKEN).cameraToken("garage", GARAGE_TOKEN)
        .viewerToken(VIEWER_TOKEN).controlToken(CONTROL_TOKEN)
        .build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private String ws(String pathAndQuery) {
    return "ws://127.0.0.1:" + relay.wsPort() + pathAndQuery;
  }

  @Test
  void framedHelloWithRightTokenIsWelcomed() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "porch", CAMERA_TOKEN, 0)) {
      assertThat(cam.awaitWelcome().stream()).isTrue();
    }
  }

  @Test
  void framedHelloWithWrongTokenGetsAuthFailedAndClose() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "porch", "guess", 0)) {
      Reason error = cam.awaitClose(MessageType.ERROR);
      assertThat(error.code()).isEqualTo(3);
      assertThat(error.reason()).isEqualTo("authentication failed for camera 'porch'");
      assertThat(cam.awaitClosedByRelay()).isTrue();
    }
    assertThat(relay.cameras()).noneMatch(c -> c.id().equals("porch"));
  }

  @Test
  void framedHelloWithoutTokenIsRefused() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "porch", null, 0)) {
      assertThat(cam.awaitClose(MessageType.ERROR).code()).isEqualTo(3);
    }
  }

  @Test
  void perCameraTokenReplacesTheGlobalOne() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "garage", CAMERA_TOKEN, 0)) {
      assertThat(cam.awaitClose(MessageType.ERROR).code()).isEqualTo(3);
    }
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "garage", GARAGE_TOKEN, 0)) {
      assertThat(cam.awaitWelcome().stream()).isTrue();
    }
  }

  @Test
  void rawIngestIsRefusedWhenCameraTokensAreConfigured() throws Exception {
    try (FakeCamera cam = FakeCamera.raw(relay.tcpPort())) {
      cam.sendFrame(TestJpegs.frame(1));
      assertThat(cam.awaitClosedByRelay()).isTrue();
    }
    assertThat(relay.cameras()).isEmpty();
  }

  @Test
  void webSocketViewerWithoutTokenGets401() throws Exception {
    try (RawWs raw = RawWs.open(relay.wsPort(), "/cam/porch")) {
      assertThat(raw.statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
      assertThat(raw.body()).isEqualTo("viewer token required\n");
      assertThat(raw.closedByServer()).isTrue();
    }
    try (RawWs raw = RawWs.open(relay.wsPort(), "/cam/porch?token=wrong")) {
      assertThat(raw.statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
    }
  }

  @Test
  void webSocketViewerTokenWorksInQueryAndBearerSubprotocol() throws Exception {
    relay.publish("porch", TestJpegs.frame(1));
    ViewerClient byQuery = ViewerClient.connect(ws("/cam/porch?token=" + VIEWER_TOKEN));
    assertThat(byQuery.isOpen()).isTrue();
    assertThat(byQuery.nextFrame()).isNotEmpty();
    ViewerClient byProtocol = ViewerClient.connect(ws("/cam/porch"), "bearer." + VIEWER_TOKEN);
    assertThat(byProtocol.isOpen()).isTrue();
    assertThat(byProtocol.selectedProtocol()).isEqualTo("bearer." + VIEWER_TOKEN);
    assertThat(byProtocol.nextFrame()).isNotEmpty();
    ViewerClient v1WithBearer = ViewerClient.connect(ws("/cam/porch"), "camrelay.v1", "bearer." + VIEWER_TOKEN);
    assertThat(v1WithBearer.isOpen()).isTrue();
    assertThat(v1WithBearer.selectedProtocol()).isEqualTo("camrelay.v1");
    assertThat(v1WithBearer.nextText()).contains("\"control\":false");
    byQuery.closeBlocking();
    byProtocol.closeBlocking();
    v1WithBearer.closeBlocking();
  }

  @Test
  void controlTokenAlsoAllowsViewingAndControl() throws Exception {
    ViewerClient v = ViewerClient.connect(ws("/cam/porch?token=" + CONTROL_TOKEN), "camrelay.v1");
    assertThat(v.isOpen()).isTrue();
    assertThat(v.nextText()).contains("\"control\":true");
    v.closeBlocking();
  }

  @Test
  void viewerWithoutControlPermissionGetsErrorReply() throws Exception {
    ViewerClient v = ViewerClient.connect(ws("/cam/porch?token=" + VIEWER_TOKEN), "camrelay.v1");
    v.send("{\"type\":\"control\",\"id\":7,\"command\":{\"cmd\":\"led\",\"value\":1}}");
    String reply = v.nextTextContaining("control-reply");
    assertThat(reply).isEqualTo("{\"type\":\"control-reply\",\"id\":7,\"ok\":false,"
        + "\"error\":\"control not permitted: connect with the control token\"}");
    v.closeBlocking();
  }

  @Test
  void webSocketIngestNeedsCameraToken() throws Exception {
    try (RawWs raw = RawWs.open(relay.wsPort(), "/ingest/porch")) {
      assertThat(raw.statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
      assertThat(raw.body()).isEqualTo("camera token required\n");
    }
    try (RawWs raw = RawWs.open(relay.wsPort(), "/ingest/porch?token=" + VIEWER_TOKEN)) {
      assertThat(raw.statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
    }
    ViewerClient byHeader = ViewerClient.connect(ws("/ingest/porch"),
        Map.of("Authorization", "Bearer " + CAMERA_TOKEN));
    assertThat(byHeader.isOpen()).isTrue();
    byte[] jpeg = TestJpegs.frame(3);
    ViewerClient viewer = ViewerClient.connect(ws("/cam/porch?token=" + VIEWER_TOKEN));
    byHeader.send(jpeg);
    assertThat(viewer.nextFrame()).isEqualTo(jpeg);
    byHeader.closeBlocking();
    ViewerClient byProtocol = ViewerClient.connect(ws("/ingest/porch"), "bearer." + CAMERA_TOKEN);
    assertThat(byProtocol.isOpen()).isTrue();
    byProtocol.closeBlocking();
    viewer.closeBlocking();
  }

  @Test
  void configDescriptionNeverContainsTokens() {
    String text = relay.toString() + CameraRelay.builder().cameraToken(CAMERA_TOKEN).viewerToken(VIEWER_TOKEN)
        .controlToken(CONTROL_TOKEN).build().toString();
    assertThat(text).doesNotContain(CAMERA_TOKEN).doesNotContain(VIEWER_TOKEN).doesNotContain(CONTROL_TOKEN);
  }

  @Test
  void listeningBeyondLoopbackWithoutTokensLogsAWarning() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    // Every port disabled: nothing is actually exposed, but the relay judges the bind address all the same.
    try (CameraRelay open = CameraRelay.builder().bind("0.0.0.0").tcpPort(-1).wsPort(-1).httpPort(-1).build()) {
      open.start();
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString()).contains("WARN")
        .contains("access: viewers: anyone; control: nobody (no control token set); cameras: anyone, any id;")
        .contains("(listening on 0.0.0.0: anyone who can reach this machine gets what is open)");
  }

  @Test
  void refusalsAreLoggedOnceEachWithoutTheToken() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "porch", "wrong-camera-token", 0)) {
        cam.awaitClose(MessageType.ERROR);
      }
      try (RawWs raw = RawWs.open(relay.wsPort(), "/cam/porch?token=wrong-viewer-token")) {
        raw.body();
      }
      try (RawWs raw = RawWs.open(relay.wsPort(), "/ingest/porch?token=wrong-ingest-token")) {
        raw.body();
      }
      relay.close();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString();
    assertThat(log).contains("refused camera 'porch' from 127.0.0.1:").contains("wrong token");
    assertThat(log).contains("refused WebSocket viewer from 127.0.0.1:");
    assertThat(log).contains("refused WebSocket camera 'porch' from 127.0.0.1:");
    assertThat(log).doesNotContain("wrong-camera-token").doesNotContain("wrong-viewer-token")
        .doesNotContain("wrong-ingest-token").doesNotContain(CAMERA_TOKEN).doesNotContain(VIEWER_TOKEN);
    assertThat(log).doesNotContain("Exception");
  }
}
