package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.MjpegStreamClient;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An application embedding the relay sees its meters in the application's own Micrometer registry. */
class EmbedderMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void theEmbeddersRegistrySeesPerCameraFramesAndViewersByKind() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).rtspPort(-1)
            .meterRegistry(registry).build()) {
      relay.start();
      watchOverRealSockets(relay);
    }
    assertThat(registry.getMeters()).as("a closed relay leaves no meters in the embedder's registry").isEmpty();
  }

  private void watchOverRealSockets(CameraRelay relay) throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "garage", null, Hello.CONTROL)
        .answerControl(json -> "{\"ok\":true}")) {
      assertThat(cam.awaitWelcome().stream()).isTrue();
      cam.sendFrame(TestJpegs.frame(1));
      Await.until("the first frame arrives", () -> relay.camera("garage").map(c -> c.framesIn() >= 1).orElse(false));
      ViewerClient ws = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/garage");
      try (MjpegStreamClient mjpeg = MjpegStreamClient.open(relay.httpPort(), "garage", 256 * 1024)) {
        cam.sendFrame(TestJpegs.frame(2));
        assertThat(mjpeg.nextPart(Duration.ofSeconds(20))).isNotNull();
        Await.until("the embedder's registry counts both frames and both viewers",
            () -> framesIn("garage") >= 2 && viewers("garage", "ws") == 1 && viewers("garage", "mjpeg") == 1);
        assertThat(viewers("garage", "rtsp")).isZero();
        Await.until("frames out count the frame each viewer was handed", () -> registry.get("camrelay.camera.frames.out")
            .tag("camera", "garage").functionCounter().count() >= 2);
        assertThat(registry.get("camrelay.camera.bytes.in").tag("camera", "garage").functionCounter().count())
            .isEqualTo(TestJpegs.frame(1).length + TestJpegs.frame(2).length);
        assertThat(registry.get("camrelay.viewers").gauge().value()).isEqualTo(2);
        assertThat(relay.control("garage", "{\"cmd\":\"status\"}").get(20, TimeUnit.SECONDS))
            .contains("ok");
        FunctionTimer rtt = registry.get("camrelay.camera.control.round.trip").tag("camera", "garage").functionTimer();
        assertThat(rtt.count()).isEqualTo(1);
        assertThat(rtt.totalTime(TimeUnit.NANOSECONDS)).isPositive();
      } finally {
        ws.close();
      }
      Await.until("the MJPEG viewer is gone from the registry", () -> viewers("garage", "mjpeg") == 0);
    }
  }

  @Test
  void aForgottenCamerasMetersLeaveTheEmbeddersRegistry() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1).rtspPort(-1)
        .maxCameras(1).meterRegistry(registry).build()) {
      relay.start();
      try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "first", null, 0)) {
        assertThat(cam.awaitWelcome().stream()).isTrue();
        cam.sendFrame(TestJpegs.frame(1));
        Await.until("the first camera's meters appear", () -> framesIn("first") == 1);
      }
      Await.until("the first camera goes offline",
          () -> relay.camera("first").map(c -> !c.connected()).orElse(false));
      relay.publish("second", TestJpegs.frame(2)); // the relay is full: the idle first camera is evicted
      Await.until("the second camera's meters replace the first's", () -> framesIn("second") == 1
          && registry.find("camrelay.camera.frames.in").tag("camera", "first").meters().isEmpty());
      assertThat(registry.find("camrelay.camera.output.viewers").tag("camera", "first").meters()).isEmpty();
    }
  }

  private double framesIn(String camera) {
    FunctionCounter c = registry.find("camrelay.camera.frames.in").tag("camera", camera).functionCounter();
    return c == null ? 0 : c.count();
  }

  private double viewers(String camera, String kind) {
    Gauge g = registry.find("camrelay.camera.output.viewers").tags("camera", camera, "kind", kind).gauge();
    return g == null ? -1 : g.value();
  }
}
