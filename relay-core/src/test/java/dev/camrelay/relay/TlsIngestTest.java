package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.internal.port.TestKeystores;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a TLS key the camera TCP port takes cameras over TLS (framed or raw) as well as plain TCP, and with
 * {@code requireCameraTls} only over TLS; viewers on wss:// get the frames byte-identical.
 */
class TlsIngestTest {
  private static final String PASSWORD = "changeit";

  @TempDir
  static Path dir;

  private static Path p12;
  private static SSLContext client;

  @BeforeAll
  static void keystore() throws Exception {
    p12 = TestKeystores.generate(dir, PASSWORD);
    client = TestKeystores.clientTrusting(p12, PASSWORD);
  }

  private CameraRelay relay(boolean requireCameraTls) {
    return CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1)
        .tls(p12, PASSWORD.toCharArray()).requireCameraTls(requireCameraTls).build();
  }

  private static ViewerClient viewer(CameraRelay relay, String cameraId) throws InterruptedException {
    ViewerClient v = ViewerClient.connect("wss://127.0.0.1:" + relay.wsPort() + "/cam/" + cameraId, client);
    assertThat(v.isOpen()).as("wss viewer connected").isTrue();
    return v;
  }

  /** Sends frames of every size class and checks each arrives unchanged. */
  private static void streamsByteIdentical(FakeCamera camera, ViewerClient viewer) throws Exception {
    for (int i = 0; i < 6; i++) {
      byte[] jpeg = i % 2 == 0 ? TestJpegs.frame(i) : TestJpegs.bigFrame(i, 320, 240);
      camera.sendFrame(jpeg);
      assertThat(viewer.nextFrame()).isEqualTo(jpeg);
    }
  }

  private static void framedTlsCameraStreamsToAWssViewer(CameraRelay relay, String cameraId) throws Exception {
    ViewerClient viewer = viewer(relay, cameraId);
    try (FakeCamera camera = FakeCamera.framed(FakeCamera.openTls(relay.tcpPort(), client), cameraId, null, 0)) {
      camera.awaitWelcome();
      streamsByteIdentical(camera, viewer);
    }
    viewer.closeBlocking();
  }

  @Test
  void framedCameraOverTlsReachesAWssViewerByteIdentical() throws Exception {
    try (CameraRelay relay = relay(false)) {
      relay.start();
      framedTlsCameraStreamsToAWssViewer(relay, "secure");
    }
  }

  @Test
  void rawJpegPushOverTlsIsPublishedAsTheDefaultCamera() throws Exception {
    try (CameraRelay relay = relay(false)) {
      relay.start();
      ViewerClient viewer = viewer(relay, "default");
      try (FakeCamera camera = FakeCamera.raw(FakeCamera.openTls(relay.tcpPort(), client))) {
        streamsByteIdentical(camera, viewer);
      }
      viewer.closeBlocking();
    }
  }

  @Test
  void plainTcpCameraStillWorksWhenTlsIsNotRequired() throws Exception {
    try (CameraRelay relay = relay(false)) {
      relay.start();
      ViewerClient viewer = viewer(relay, "legacy");
      try (FakeCamera camera = FakeCamera.framed(relay.tcpPort(), "legacy", null, 0)) {
        camera.awaitWelcome();
        streamsByteIdentical(camera, viewer);
      }
      viewer.closeBlocking();
    }
  }

  @Test
  void plainFramedCameraIsRefusedWithAClearErrorWhenTlsIsRequired() throws Exception {
    try (CameraRelay relay = relay(true)) {
      relay.start();
      try (FakeCamera plain = FakeCamera.framed(relay.tcpPort(), "legacy", null, 0)) {
        Reason r = plain.awaitClose(MessageType.ERROR);
        assertThat(r.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(r.reason()).contains("requires TLS on the camera port");
        assertThat(plain.awaitClosedByRelay()).isTrue();
      }
      assertThat(relay.cameras()).noneMatch(c -> c.id().equals("legacy"));

      framedTlsCameraStreamsToAWssViewer(relay, "secure");
    }
  }

  @Test
  void plainRawStreamIsClosedWhenTlsIsRequired() throws Exception {
    try (CameraRelay relay = relay(true)) {
      relay.start();
      try (FakeCamera plain = FakeCamera.raw(relay.tcpPort())) {
        plain.sendFrame(TestJpegs.frame(1));
        assertThat(plain.awaitClosedByRelay()).isTrue();
      }
      assertThat(relay.cameras()).noneMatch(c -> c.id().equals("default"));
    }
  }

  @Test
  void requiringCameraTlsWithoutAKeystoreIsRefusedAtBuild() {
    assertThatThrownBy(() -> CameraRelay.builder().requireCameraTls(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requireCameraTls needs a TLS keystore");
  }
}
