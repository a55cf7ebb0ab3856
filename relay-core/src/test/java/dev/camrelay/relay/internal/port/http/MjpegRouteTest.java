package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hand-over from request to MJPEG stream: what a stream connection does with requests, and a refused attach. */
class MjpegRouteTest {
  @Test
  void requestsPipelinedBehindAStreamRequestAreIgnoredAndTheStreamGoesOn() throws Exception {
    try (HttpFixture http = new HttpFixture(TestConfig.builder())) {
      byte[] first = TestJpegs.gradient(64, 48, 1);
      http.publish("porch", first);
      try (RawHttp raw = RawHttp.connect(http.port)) {
        raw.send("GET /cam/porch/stream.mjpeg HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        RawHttp.Head head = raw.readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("connection")).isEqualTo("close");
        assertThat(MultipartReading.readPart(raw.in)).isEqualTo(first);
        raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        byte[] next = TestJpegs.gradient(64, 48, 2);
        MjpegStreamTest.awaitTrue(() -> http.viewers("porch") == 1);
        http.publish("porch", next);
        assertThat(MultipartReading.readPart(raw.in)).isEqualTo(next);
      }
      MjpegStreamTest.awaitTrue(() -> http.viewers("porch") == 0 && http.http.mjpegViewers() == 0);
    }
  }

  @Test
  void aCameraTheRelayHasNoRoomForIs503AndLeavesNothingAttached() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.maxCameras(1);
    try (HttpFixture http = new HttpFixture(config)) {
      http.publish("porch", TestJpegs.gradient(64, 48, 1));
      try (RawHttp raw = RawHttp.connect(http.port)) {
        raw.get("/cam/default/stream.mjpeg"); // expected (the default camera) but not yet known: needs room
        RawHttp.Head head = raw.readHead();
        assertThat(head.status()).isEqualTo(503);
        assertThat(head.header("connection")).isEqualTo("close");
        assertThat(new String(raw.readBody(head), StandardCharsets.UTF_8)).contains("cannot watch camera 'default'");
        assertThat(raw.closedByServer()).isTrue();
      }
      assertThat(http.http.mjpegViewers()).isZero();
    }
  }
}
