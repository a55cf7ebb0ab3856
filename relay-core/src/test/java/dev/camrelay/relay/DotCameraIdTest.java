package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ids {@code .} and {@code ..} are refused everywhere, however they are spelled. */
class DotCameraIdTest {
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void aFramedHelloWithDotDotIsAProtocolError() throws Exception {
    // HELLO by hand: the library's own Hello refuses to build one with this id.
    byte[] hello = {1, 0, 0, 0, 0, 2, '.', '.', 0, 0};
    try (FakeCamera cam = FakeCamera.framedSilent(relay.tcpPort())) {
      cam.send(Message.of(MessageType.HELLO.code(), 0, 0, 0, hello));
      assertThat(cam.awaitClose(MessageType.ERROR).reason()).contains("invalid camera id");
    }
    assertThat(relay.cameras()).isEmpty();
  }

  @Test
  void webSocketPathsWithDotsAreBadRequestsForCamerasAndViewersAlike() throws Exception {
    for (String path : new String[] {"/ingest/..", "/ingest/%2e%2e", "/ingest/.", "/cam/..", "/cam/%2E%2E", "/cam/."}) {
      RawWs ws = RawWs.open(relay.wsPort(), path, Map.of(), 64 * 1024);
      assertThat(ws.statusLine).as(path).contains(" 400 ");
    }
  }

  @Test
  void httpPathsWithDotsAreBadRequests() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (String path : new String[] {"/cam/%2e%2e/snapshot.jpg", "/cam/./stream.mjpeg", "/cam/%2E/snapshot.jpg"}) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + relay.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(400);
    }
  }

  @Test
  void javaCallersAndTheBuilderGetAClearError() {
    assertThatThrownBy(() -> relay.publish("..", dev.camrelay.relay.testing.TestJpegs.frame(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid camera id");
    assertThatThrownBy(() -> CameraRelay.builder().pull(".", URI.create("http://127.0.0.1:1/stream")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
