package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.CameraRelay;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The HTTP port as an embedder gets it: through the public {@link CameraRelay} builder. */
class HttpThroughCameraRelayTest {
  @Test
  void relayServesPublishedFramesAsMjpegAndSnapshotsWithAViewerToken() throws Exception {
    CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0)
        .viewerToken("watch-me").build();
    int port;
    try {
      relay.start();
      port = relay.httpPort();
      assertThat(port).isPositive();
      byte[] base = TestJpegs.gradient(120, 90, 60);
      relay.publish("porch", TestJpegs.withSequence(base, 0));

      try (RawHttp refused = RawHttp.connect(port)) {
        refused.get("/cam/porch/stream.mjpeg");
        assertThat(refused.readHead().status()).isEqualTo(401);
      }
      try (RawHttp raw = RawHttp.connect(port)) {
        raw.get("/cam/porch/stream.mjpeg", "Authorization: Bearer watch-me");
        RawHttp.Head head = raw.readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers()).doesNotContainKey("transfer-encoding");
        MjpegFrames frames = new MjpegFrames(raw.in, head.header("content-type"));
        assertThat(frames.next()).isEqualTo(TestJpegs.withSequence(base, 0));
        for (int i = 1; i <= 10; i++) {
          byte[] jpeg = TestJpegs.withSequence(base, i);
          relay.publish("porch", jpeg);
          assertThat(frames.next()).as("frame %d", i).isEqualTo(jpeg);
        }
        assertThat(frames.discards).isEmpty();
      }
      try (RawHttp raw = RawHttp.connect(port)) {
        raw.get("/cam/porch/snapshot.jpg?token=watch-me");
        RawHttp.Head head = raw.readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(raw.readBody(head)).isEqualTo(TestJpegs.withSequence(base, 10));
      }
      try (RawHttp raw = RawHttp.connect(port)) {
        raw.get("/api/info");
        RawHttp.Head head = raw.readHead();
        JsonObject info = JsonParser.parseString(new String(raw.readBody(head), StandardCharsets.UTF_8))
            .getAsJsonObject();
        assertThat(info.get("authRequired").getAsBoolean()).isTrue();
        assertThat(info.get("httpTls").getAsBoolean()).isFalse();
      }
    } finally {
      relay.close();
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      throw new AssertionError("HTTP port still open after close: " + socket);
    } catch (ConnectException expected) {
      // closed
    }
  }
}
