package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Tokens never reach the log: URLs are logged without their query, Authorization headers never. */
class TokenLoggingTest {
  @Test
  void loggableTargetsDropTheQueryAndControlCharacters() {
    assertThat(Responses.loggable("/cam/x/stream.mjpeg?token=abc")).isEqualTo("/cam/x/stream.mjpeg?<query omitted>");
    assertThat(Responses.loggable("/a\r\nInjected: yes")).isEqualTo("/a??Injected: yes");
    assertThat(Responses.loggable("/" + "a".repeat(300))).hasSize(123).endsWith("...");
  }

  @Test
  void refusedAndAcceptedRequestsNeverLogTheirTokens() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    RelayConfig.Builder config = TestConfig.builder();
    config.viewerToken("tok-SECRET-1");
    try (HttpFixture http = new HttpFixture(config)) {
      http.publish("cam", TestJpegs.gradient(32, 32, 1));
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      assertThat(http.get("/api/cameras?token=wrong-SECRET-2").statusCode()).isEqualTo(401);
      assertThat(http.get("/metrics", "Authorization", "Bearer wrong-SECRET-4").statusCode()).isEqualTo(401);
      try (RawHttp raw = RawHttp.connect(http.port)) {
        raw.get("/..%2fsecret.txt?token=tok-SECRET-1");
        assertThat(raw.readHead().status()).isEqualTo(400);
      }
      try (RawHttp raw = RawHttp.connect(http.port)) {
        raw.get("/cam/cam/stream.mjpeg?token=tok-SECRET-1");
        RawHttp.Head head = raw.readHead();
        assertThat(head.status()).isEqualTo(200);
        MultipartReading.readPart(raw.in);
      }
      // The viewer's own lines are DEBUG (VerboseLogTokenTest checks those at -vv); wait until it has left.
      MjpegStreamTest.awaitTrue(() -> http.viewers("cam") == 0);
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("refused /api/cameras?<query omitted>").contains("refused path");
    assertThat(log).doesNotContain("SECRET");
  }
}
