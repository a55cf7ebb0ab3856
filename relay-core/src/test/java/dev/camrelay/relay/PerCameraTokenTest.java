package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Naming one camera's token closes the door to the others: with only {@code cameraToken("garage", K)}, unknown ids
 * and raw pushes are refused unless explicitly allowed (the README's own example used to leave them open).
 */
class PerCameraTokenTest {
  private CameraRelay relay;

  private void start(CameraRelay.Builder b) throws Exception {
    relay = b.bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).cameraToken("garage", "k3y").build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void aCameraWithoutATokenOfItsOwnIsRefused() throws Exception {
    start(CameraRelay.builder());
    try (FakeCamera porch = FakeCamera.framed(relay.tcpPort(), "porch", null, 0)) {
      assertThat(porch.awaitClose(MessageType.ERROR).code()).isEqualTo(3);
    }
    RawWs ws = RawWs.open(relay.wsPort(), "/ingest/porch", Map.of(), 64 * 1024);
    assertThat(ws.statusLine).contains(" 401 ");
    try (FakeCamera garage = FakeCamera.framed(relay.tcpPort(), "garage", "k3y", 0)) {
      assertThat(garage.awaitWelcome().stream()).isTrue();
    }
    assertThat(relay.cameras()).extracting(CameraStats::id).containsExactly("garage");
  }

  @Test
  void aRawPushIsRefused() throws Exception {
    start(CameraRelay.builder());
    try (FakeCamera raw = FakeCamera.raw(relay.tcpPort())) {
      raw.sendFrame(TestJpegs.frame(1));
      assertThat(raw.awaitClosedByRelay()).isTrue();
    }
    assertThat(relay.cameras()).isEmpty();
  }

  @Test
  void unknownCamerasAndRawPushesCanBeLetInExplicitly() throws Exception {
    start(CameraRelay.builder().allowUnknownCameras(true).allowRawIngest(true));
    try (FakeCamera porch = FakeCamera.framed(relay.tcpPort(), "porch", null, 0)) {
      assertThat(porch.awaitWelcome().stream()).isTrue();
    }
    try (FakeCamera garage = FakeCamera.framed(relay.tcpPort(), "garage", null, 0)) {
      assertThat(garage.awaitClose(MessageType.ERROR).code()).as("garage still needs its token").isEqualTo(3);
    }
    try (FakeCamera raw = FakeCamera.raw(relay.tcpPort())) {
      raw.sendFrame(TestJpegs.frame(2));
      dev.camrelay.relay.testing.Await.until("the raw push shows as the default camera", () -> relay.camera("default")
          .map(c -> c.framesIn() == 1).orElse(false));
    }
  }

  @Test
  void startUpSaysWhatIsOpenToWhomAndNoToken() throws Exception {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      start(CameraRelay.builder().viewerToken("v1ewer"));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log).contains("access: viewers: the viewer or control token; control: nobody (no control token set);"
        + " cameras: garage with its own token, other ids refused; raw JPEG push: refused");
    assertThat(log).doesNotContain("k3y").doesNotContain("v1ewer");
  }
}
