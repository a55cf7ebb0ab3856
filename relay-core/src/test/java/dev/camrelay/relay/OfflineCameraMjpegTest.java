package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.MjpegStreamClient;
import dev.camrelay.relay.testing.TestJpegs;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An MJPEG stream cannot say "this picture is old": a new MJPEG viewer of an offline camera gets no stale frame, only
 * the camera's next live one; of a connected camera, its latest frame at once.
 */
class OfflineCameraMjpegTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(0).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private FakeCamera cameraWith(String id, byte[] jpeg) throws Exception {
    FakeCamera cam = FakeCamera.framed(relay.tcpPort(), id, null, 0);
    cam.awaitWelcome();
    long before = relay.camera(id).map(CameraStats::framesIn).orElse(0L);
    cam.sendFrame(jpeg);
    Await.until("camera '" + id + "' published its frame",
        () -> relay.camera(id).orElseThrow().framesIn() > before);
    return cam;
  }

  @Test
  void mjpegViewerOfAnOfflineCameraGetsNoStaleFrameButTheNextLiveOne() throws Exception {
    byte[] stale = TestJpegs.frame(1);
    cameraWith("yard", stale).close();
    Await.until("camera 'yard' is offline", () -> !relay.camera("yard").orElseThrow().connected());
    try (MjpegStreamClient viewer = MjpegStreamClient.open(relay.httpPort(), "yard", 64 * 1024)) {
      Await.until("the viewer is attached", () -> relay.camera("yard").orElseThrow().viewers() == 1);
      byte[] live = TestJpegs.frame(2);
      try (FakeCamera back = cameraWith("yard", live)) {
        byte[] first = viewer.nextPart(WAIT);
        assertThat(Arrays.equals(first, stale) ? "the stale frame" : Arrays.equals(first, live) ? "the live frame" : "?")
            .as("the first part an MJPEG viewer of an offline camera gets").isEqualTo("the live frame");
      }
    }
  }

  @Test
  void mjpegViewerOfAConnectedCameraGetsItsLatestFrameAtOnce() throws Exception {
    byte[] latest = TestJpegs.frame(3);
    try (FakeCamera cam = cameraWith("gate", latest);
        MjpegStreamClient viewer = MjpegStreamClient.open(relay.httpPort(), "gate", 64 * 1024)) {
      assertThat(viewer.nextPart(WAIT)).isEqualTo(latest);
    }
  }
}
