package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.MjpegServer;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import org.junit.jupiter.api.Test;

/** A camera pulled from an MJPEG URL (the ESP32 web server's :81/stream) reaches WebSocket viewers unchanged. */
class PullTest {

  @Test
  void pulledMjpegStreamReachesViewersByteIdentical() throws Exception {
    try (MjpegServer camera = new MjpegServer();
        CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
            .pull("esp", camera.url()).build()) {
      relay.start();
      ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/esp");
      for (int i = 0; i < 5; i++) {
        byte[] jpeg = TestJpegs.frame(i, 320, 240);
        camera.send(jpeg);
        assertThat(viewer.nextFrame()).isEqualTo(jpeg);
      }
      Await.until("the pulled camera shows as connected", () -> relay.cameras().stream()
          .anyMatch(c -> c.id().equals("esp") && c.connected() && "pull".equals(c.ingest())));
      viewer.closeBlocking();
    }
  }
}
