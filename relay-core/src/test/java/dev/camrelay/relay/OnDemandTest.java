package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On-demand cameras stream only while watched: started by the first viewer, stopped after the linger time. */
class OnDemandTest {
  private static final int ON_DEMAND = Hello.ON_DEMAND | Hello.CONTROL;
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1)
        .onDemandLinger(Duration.ofMillis(200)).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private CameraStats stats(String id) {
    return relay.cameras().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void unwatchedOnDemandCameraIsWelcomedWithoutStreamThenStartedAndStopped() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "lazy", null, ON_DEMAND)
        .answerControl(cmd -> "{\"ok\":true}")) {
      assertThat(cam.awaitWelcome().stream()).isFalse();
      assertThat(stats("lazy").onDemand()).isTrue();
      assertThat(stats("lazy").streaming()).isFalse();

      ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/lazy");
      Control start = cam.awaitControl();
      assertThat(start.json()).isEqualTo("{\"cmd\":\"stream\",\"on\":true}");
      assertThat(stats("lazy").streaming()).isTrue();
      byte[] jpeg = TestJpegs.frame(1);
      cam.sendFrame(jpeg);
      assertThat(viewer.nextFrame()).isEqualTo(jpeg);

      viewer.closeBlocking();
      Control stopCmd = cam.awaitControl();
      assertThat(stopCmd.json()).isEqualTo("{\"cmd\":\"stream\",\"on\":false}");
      Await.until("camera reported as not streaming", () -> !stats("lazy").streaming());
    }
  }

  @Test
  void onDemandCameraConnectingWhileWatchedIsWelcomedWithStream() throws Exception {
    ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/lazy");
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "lazy", null, ON_DEMAND)) {
      assertThat(cam.awaitWelcome().stream()).isTrue();
    }
    viewer.closeBlocking();
  }

  @Test
  void frameListenerKeepsOnDemandCamerasStreaming() throws Exception {
    AutoCloseable listener = relay.onFrame((id, frame) -> { });
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "lazy", null, ON_DEMAND)
        .answerControl(cmd -> "{\"ok\":true}")) {
      assertThat(cam.awaitWelcome().stream()).isTrue();
      listener.close();
      assertThat(cam.awaitControl().json()).isEqualTo("{\"cmd\":\"stream\",\"on\":false}");
    }
  }

  @Test
  void onDemandWebSocketCameraIsToldToStreamWhenWatched() throws Exception {
    ViewerClient wsCam = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/ingest/lazyws?ondemand=1");
    assertThat(wsCam.nextText()).isEqualTo("{\"id\":0,\"cmd\":\"stream\",\"on\":false}");
    ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/lazyws");
    assertThat(wsCam.nextText()).contains("\"cmd\":\"stream\",\"on\":true");
    viewer.closeBlocking();
    assertThat(wsCam.nextText()).contains("\"cmd\":\"stream\",\"on\":false");
    wsCam.closeBlocking();
  }
}
