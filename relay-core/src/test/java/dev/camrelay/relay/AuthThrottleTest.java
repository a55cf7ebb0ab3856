package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Wrong-token guessing is slowed per source address (issue #14 defect 5): after a burst of wrong tokens an address is
 * refused for a while on every port without its token being checked, and other addresses are served as before.
 * Linux routes all of 127.0.0.0/8 to loopback, so a client bound to 127.0.0.2 is another address than 127.0.0.1.
 */
class AuthThrottleTest {
  private static final String GUESSER = "127.0.0.2";
  private static final String CAMERA_TOKEN = "cam-secret-1";
  private static final String VIEWER_TOKEN = "view-secret-3";
  private static final String THROTTLED = "too many failed token attempts from your address; retry in ";

  private CameraRelay relay;

  private CameraRelay start(int burst, Duration refusal) throws IOException {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .cameraToken(CAMERA_TOKEN).viewerToken(VIEWER_TOKEN).authThrottle(burst, refusal, refusal)
        .build();
    relay.start();
    return relay;
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void afterTheBurstWrongGuessesAreRefusedOnEveryPortAndCountedInMetrics() throws Exception {
    start(10, Duration.ofSeconds(60));
    for (int i = 0; i < 4; i++) {
      assertThat(framedFrom(GUESSER, "porch", "guess-" + i).code()).isEqualTo(ErrorCode.AUTH_FAILED);
    }
    for (int i = 0; i < 3; i++) {
      try (RawWs ws = RawWs.openFrom(GUESSER, relay.wsPort(), "/cam/porch?token=guess-ws-" + i)) {
        assertThat(ws.statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
      }
    }
    for (int i = 0; i < 3; i++) {
      assertThat(httpFrom(GUESSER, "/cam/porch/snapshot.jpg?token=guess-http-" + i)).startsWith("HTTP/1.1 401");
    }

    Reason framed = framedFrom(GUESSER, "porch", "guess-11");
    assertThat(framed.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(framed.reason()).startsWith(THROTTLED).endsWith(" s");
    try (RawWs ws = RawWs.openFrom(GUESSER, relay.wsPort(), "/cam/porch?token=guess-12")) {
      assertThat(ws.statusLine).isEqualTo("HTTP/1.1 429 Too Many Requests");
      assertThat(retryAfter(ws.responseHead)).isBetween(1, 60);
      assertThat(ws.body()).startsWith(THROTTLED);
    }
    try (RawWs ws = RawWs.openFrom(GUESSER, relay.wsPort(), "/ingest/porch?token=guess-13")) {
      assertThat(ws.statusLine).isEqualTo("HTTP/1.1 429 Too Many Requests");
    }
    String http = httpFrom(GUESSER, "/api/cameras?token=guess-14");
    assertThat(http).startsWith("HTTP/1.1 429 Too Many Requests");
    assertThat(retryAfter(http)).isBetween(1, 60);
    assertThat(http).contains(THROTTLED);

    String metrics = httpFrom("127.0.0.1", "/metrics?token=" + VIEWER_TOKEN);
    assertThat(metrics).startsWith("HTTP/1.1 200").contains("\ncamrelay_auth_failures_total 10.0\n")
        .contains("\ncamrelay_auth_throttled_total 4.0\n");
  }

  @Test
  void whileOneAddressIsThrottledAnotherPublishesAndViewsWithItsTokens() throws Exception {
    start(10, Duration.ofSeconds(60));
    for (int i = 0; i < 10; i++) {
      framedFrom(GUESSER, "porch", "guess-" + i);
    }
    assertThat(framedFrom(GUESSER, "porch", CAMERA_TOKEN).code()).isEqualTo(ErrorCode.RATE_LIMITED);

    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "porch", CAMERA_TOKEN, 0)) {
      assertThat(cam.awaitWelcome().stream()).isTrue();
      ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/porch?token="
          + VIEWER_TOKEN);
      assertThat(viewer.isOpen()).isTrue();
      Await.until("the viewer is attached", () -> relay.camera("porch").map(CameraStats::viewers).orElse(0) == 1);
      byte[] jpeg = TestJpegs.frame(7);
      cam.sendFrame(jpeg);
      assertThat(viewer.nextFrame()).isEqualTo(jpeg);
      assertThat(httpFrom("127.0.0.1", "/cam/porch/snapshot.jpg?token=" + VIEWER_TOKEN)).startsWith("HTTP/1.1 200");
      viewer.closeBlocking();
    }
  }

  @Test
  void theRightTokenFromAThrottledAddressIsRefusedUntilTheRefusalEnds() throws Exception {
    start(3, Duration.ofSeconds(3));
    for (int i = 0; i < 3; i++) {
      assertThat(framedFrom(GUESSER, "porch", "guess-" + i).code()).isEqualTo(ErrorCode.AUTH_FAILED);
    }
    assertThat(framedFrom(GUESSER, "porch", CAMERA_TOKEN).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(httpFrom(GUESSER, "/api/cameras?token=" + VIEWER_TOKEN)).startsWith("HTTP/1.1 429");

    Await.until("the right viewer token from " + GUESSER + " is served",
        () -> httpFrom(GUESSER, "/api/cameras?token=" + VIEWER_TOKEN).startsWith("HTTP/1.1 200"));
    try (FakeCamera cam = FakeCamera.framedFrom(GUESSER, relay.tcpPort(), "porch", CAMERA_TOKEN, 0)) {
      assertThat(cam.awaitWelcome().stream()).isTrue();
    }
    String metrics = httpFrom("127.0.0.1", "/metrics?token=" + VIEWER_TOKEN);
    assertThat(metrics).contains("\ncamrelay_auth_failures_total 3.0\n");
  }

  @Test
  void withOpenViewingAWrongControlTokenCountsAsAGuess() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
        .controlToken("ctl-secret-4").authThrottle(3, Duration.ofSeconds(60), Duration.ofSeconds(60)).build();
    relay.start();
    for (int i = 0; i < 3; i++) {
      try (RawWs ws = RawWs.openFrom(GUESSER, relay.wsPort(), "/cam/porch?token=control-guess-" + i)) {
        assertThat(ws.statusLine).as("viewing is open").startsWith("HTTP/1.1 101 ");
      }
    }
    try (RawWs ws = RawWs.openFrom(GUESSER, relay.wsPort(), "/cam/porch?token=control-guess-4")) {
      assertThat(ws.statusLine).isEqualTo("HTTP/1.1 429 Too Many Requests");
    }
    try (RawWs ws = RawWs.openFrom(GUESSER, relay.wsPort(), "/cam/porch")) {
      assertThat(ws.statusLine).as("without a token nothing is checked").startsWith("HTTP/1.1 101 ");
    }
  }

  /** Sends HELLO from {@code from} and returns the relay's ERROR (AUTH_FAILED, RATE_LIMITED, ...). */
  private Reason framedFrom(String from, String cameraId, String token) throws Exception {
    try (FakeCamera cam = FakeCamera.framedFrom(from, relay.tcpPort(), cameraId, token, 0)) {
      Reason error = cam.awaitClose(MessageType.ERROR);
      assertThat(cam.awaitClosedByRelay()).isTrue();
      return error;
    }
  }

  /** One GET from {@code from} on the HTTP port; the whole response as text. */
  private String httpFrom(String from, String target) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress("127.0.0.1", relay.httpPort()), 10_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new AssertionError("GET " + target.replaceAll("token=.*", "token=…") + " failed: " + e, e);
    }
  }

  private static int retryAfter(String responseHead) {
    Matcher m = Pattern.compile("(?i)\r\nRetry-After: (\\d+)\r\n").matcher(responseHead);
    assertThat(m.find()).as("Retry-After in %s", responseHead).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
