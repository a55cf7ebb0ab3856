package dev.camrelay.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.Await;
import dev.camrelay.cli.TestViewer;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class SimulatedCameraTest {
  private CameraRelay relay;

  @BeforeEach
  void startRelay() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build();
    relay.start();
  }

  @AfterEach
  void stopRelay() {
    relay.close();
  }

  private SimulatedCamera.Builder camera() {
    return SimulatedCamera.builder().relay("127.0.0.1", relay.tcpPort()).fps(20).size(320, 240);
  }

  private static JpegInfo info(byte[] jpeg) throws Exception {
    return JpegInfo.of(JpegFrame.parse(jpeg));
  }

  @Test
  void framedCameraFramesReachAWebSocketViewerIntact() throws Exception {
    try (SimulatedCamera cam = camera().cameraId("porch").build().start();
         TestViewer viewer = TestViewer.open(relay.wsPort(), "/cam/porch")) {
      for (int i = 0; i < 5; i++) {
        JpegInfo info = info(viewer.nextFrame());
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(240);
      }
      assertThat(cam.connected()).isTrue();
      assertThat(cam.framesSent()).isPositive(); // the counter ticks after the write returns, maybe after delivery
      CameraStats stats = relay.cameras().stream().filter(c -> c.id().equals("porch")).findFirst().orElseThrow();
      assertThat(stats.ingest()).isEqualTo("framed");
      assertThat(stats.control()).isTrue();
    }
  }

  @Test
  void rawPersistentAndPerFrameCamerasFeedTheDefaultCamera() throws Exception {
    for (SimulatedCamera.Mode mode : new SimulatedCamera.Mode[] {SimulatedCamera.Mode.RAW,
        SimulatedCamera.Mode.RAW_PER_FRAME}) {
      try (SimulatedCamera cam = camera().mode(mode).size(160, 120).build().start();
           TestViewer viewer = TestViewer.open(relay.wsPort(), "/")) {
        for (int i = 0; i < 3; i++) {
          assertThat(info(viewer.nextFrame()).width()).as(mode.name()).isEqualTo(160);
        }
        assertThat(cam.connections()).isPositive();
      }
    }
  }

  @Test
  void controlCommandsAreAnsweredLikeTheFirmware() throws Exception {
    try (SimulatedCamera cam = camera().build().start();
         TestViewer viewer = TestViewer.open(relay.wsPort(), "/")) {
      viewer.nextFrame(); // connected and streaming
      String reply = relay.control("default", "{\"cmd\":\"framesize\",\"value\":\"QVGA\"}").get(20, TimeUnit.SECONDS);
      assertThat(reply).contains("\"ok\":true").contains("\"framesize\":\"QVGA\"");
      assertThat(cam.lastControl()).isEqualTo("{\"cmd\":\"framesize\",\"value\":\"QVGA\"}");
      // frames in flight may still be the old size; the new size must arrive
      Await.until("a frame of the new size", () -> info(viewer.nextFrame()).width(), width -> width == 320);
      assertThat(cam.width()).isEqualTo(320);
      assertThat(relay.control("default", "{\"cmd\":\"x\"}").get(20, TimeUnit.SECONDS))
          .isEqualTo("{\"ok\":false,\"error\":\"unknown command 'x'\"}");
      assertThat(relay.control("default", "{\"cmd\":\"status\"}").get(20, TimeUnit.SECONDS))
          .contains("\"framesize\":\"QVGA\"").contains("\"streaming\":true");
      assertThat(cam.controlsReceived()).isEqualTo(3);
    }
  }

  @Test
  void streamOffStopsFramesAndStreamOnResumesThem() throws Exception {
    try (SimulatedCamera cam = camera().build().start();
         TestViewer viewer = TestViewer.open(relay.wsPort(), "/")) {
      viewer.nextFrame();
      assertThat(relay.control("default", "{\"cmd\":\"stream\",\"on\":false}").get(20, TimeUnit.SECONDS))
          .contains("\"streaming\":false");
      assertThat(cam.streaming()).isFalse();
      long sent = cam.framesSent(); // final: the camera sends no frame after its stream-off reply
      assertThat(relay.control("default", "{\"cmd\":\"status\"}").get(20, TimeUnit.SECONDS)) // a round trip later
          .contains("\"streaming\":false").contains("\"frames\":" + sent);
      assertThat(cam.framesSent()).isEqualTo(sent);
      relay.control("default", "{\"cmd\":\"stream\",\"on\":true}").get(20, TimeUnit.SECONDS);
      Await.until("frames after stream on", () -> cam.framesSent() > sent);
    }
  }

  @Test
  void onDemandCameraStreamsOnlyWhileWatched() throws Exception {
    try (SimulatedCamera cam = camera().onDemand(true).build().start()) {
      Await.until("the on-demand camera to connect", cam::connected);
      assertThat(cam.streaming()).isFalse();
      assertThat(cam.framesSent()).isZero();
      try (TestViewer viewer = TestViewer.open(relay.wsPort(), "/")) {
        assertThat(info(viewer.nextFrame()).width()).isEqualTo(320);
        assertThat(cam.streaming()).isTrue();
      }
    }
  }

  @Test
  void reconnectsWhenTheRelayComesBack() throws Exception {
    int port = relay.tcpPort();
    try (SimulatedCamera cam = camera().build().start()) {
      Await.until("the first connection", () -> cam.connections() >= 1);
      relay.close();
      relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(port).wsPort(0).httpPort(-1).build();
      relay.start();
      try (TestViewer viewer = TestViewer.open(relay.wsPort(), "/")) {
        viewer.nextFrame();
      }
      assertThat(cam.connections()).isEqualTo(2);
    }
  }

  @Test
  void wrongTokenIsReportedAsTheLastError() throws Exception {
    relay.close();
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).cameraToken("right").build();
    relay.start();
    try (SimulatedCamera cam = camera().token("wrong").build().start()) {
      Await.until("the relay to refuse the token", () -> cam.lastError() != null);
      assertThat(cam.connected()).isFalse();
      assertThat(cam.lastError()).contains("3").doesNotContain("wrong").doesNotContain("right");
    }
    try (SimulatedCamera cam = camera().token("right").build().start();
         TestViewer viewer = TestViewer.open(relay.wsPort(), "/")) {
      viewer.nextFrame();
    }
  }
}
