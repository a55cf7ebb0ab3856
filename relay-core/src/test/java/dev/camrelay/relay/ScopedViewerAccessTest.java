package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.relay.internal.auth.ShareLinks;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.MjpegStreamClient;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scoped viewer tokens and share links, over real sockets: a token for some cameras opens exactly those (WebSocket,
 * MJPEG, snapshot, the camera list) and answers 403 for the others; a share link opens its camera until it expires.
 */
@Timeout(60)
class ScopedViewerAccessTest {
  private static final String VIEWER_TOKEN = "view-everything-1";
  private static final String CONTROL_TOKEN = "control-2";
  private static final String GARAGE_TOKEN = "garage-only-3";
  private static final String YARD_PORCH_TOKEN = "yard-and-porch-4";
  private static final String SHARE_KEY = "share-key-0123456789abcdef";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(0)
        .viewerToken(VIEWER_TOKEN).controlToken(CONTROL_TOKEN)
        .viewerToken(GARAGE_TOKEN, Set.of("garage"))
        .viewerToken(YARD_PORCH_TOKEN, Set.of("yard", "porch"))
        .shareKey(SHARE_KEY)
        .build();
    relay.start();
    int[] n = {0};
    publisher.scheduleWithFixedDelay(() -> {
      n[0]++;
      try {
        for (String id : List.of("garage", "porch", "yard")) {
          relay.publish(id, TestJpegs.frame(n[0]));
        }
      } catch (JpegFormatException e) {
        throw new AssertionError(e);
      }
    }, 0, 50, TimeUnit.MILLISECONDS);
    Await.until("three cameras with a frame", () -> relay.cameras().size() == 3
        && relay.cameras().stream().allMatch(c -> c.framesIn() > 0));
  }

  @AfterEach
  void stop() {
    publisher.shutdownNow();
    relay.close();
  }

  private HttpResponse<byte[]> get(String pathAndQuery, String bearerOrNull) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + relay.httpPort() + pathAndQuery));
    if (bearerOrNull != null) {
      request.header("Authorization", "Bearer " + bearerOrNull);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private List<String> cameraIds(String token) throws Exception {
    HttpResponse<byte[]> response = get("/api/cameras", token);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject json = JsonParser.parseString(text(response)).getAsJsonObject();
    List<String> ids = new ArrayList<>();
    json.getAsJsonArray("cameras").forEach(c -> ids.add(c.getAsJsonObject().get("id").getAsString()));
    ids.sort(null);
    return ids;
  }

  private String ws(String path) {
    return "ws://127.0.0.1:" + relay.wsPort() + path;
  }

  private static String share(String cameraId, Duration validFor) {
    return ShareLinkSigner.withShareKey(SHARE_KEY).sign(cameraId, validFor);
  }

  @Test
  void aScopedTokenWatchesItsCameraOverWebSocketMjpegAndSnapshot() throws Exception {
    ViewerClient viewer = ViewerClient.connect(ws("/cam/garage"), "bearer." + GARAGE_TOKEN);
    try {
      assertThat(viewer.isOpen()).isTrue();
      assertThat(viewer.nextFrame()).isNotEmpty();
    } finally {
      viewer.closeBlocking();
    }
    try (MjpegStreamClient mjpeg = MjpegStreamClient.open(relay.httpPort(), "garage", GARAGE_TOKEN, 256 * 1024)) {
      assertThat(mjpeg.nextPart(Duration.ofSeconds(10))).isNotEmpty();
    }
    HttpResponse<byte[]> snapshot = get("/cam/garage/snapshot.jpg?token=" + GARAGE_TOKEN, null);
    assertThat(snapshot.statusCode()).isEqualTo(200);
    assertThat(snapshot.headers().firstValue("Content-Type")).hasValue("image/jpeg");
  }

  @Test
  void aScopedTokenGets403ForEveryOtherCameraWhetherItExistsOrNot() throws Exception {
    for (String other : List.of("porch", "no-such-camera")) {
      HttpResponse<byte[]> snapshot = get("/cam/" + other + "/snapshot.jpg", GARAGE_TOKEN);
      assertThat(snapshot.statusCode()).as(other).isEqualTo(403);
      assertThat(text(snapshot)).isEqualTo("this token does not give access to camera '" + other + "'\n");
      assertThat(get("/cam/" + other + "/stream.mjpeg", GARAGE_TOKEN).statusCode()).isEqualTo(403);
      try (RawWs refused = RawWs.open(relay.wsPort(), "/cam/" + other + "?token=" + GARAGE_TOKEN)) {
        assertThat(refused.statusLine).contains(" 403 ");
        assertThat(refused.body()).contains("does not give access to camera '" + other + "'");
      }
    }
    assertThat(get("/cam/no-such-camera/snapshot.jpg", VIEWER_TOKEN).statusCode())
        .as("the full viewer token still learns that a camera does not exist").isEqualTo(404);
  }

  @Test
  void wrongOrMissingTokensAreStill401NotForbidden() throws Exception {
    assertThat(get("/cam/garage/snapshot.jpg", null).statusCode()).isEqualTo(401);
    HttpResponse<byte[]> wrong = get("/cam/garage/snapshot.jpg", "garage-only-33");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(text(wrong)).isEqualTo("the viewer token is not valid\n");
    try (RawWs refused = RawWs.open(relay.wsPort(), "/cam/garage?token=nope")) {
      assertThat(refused.statusLine).contains(" 401 ");
    }
  }

  @Test
  void theCameraListShowsOnlyTheCamerasTheTokenOpens() throws Exception {
    assertThat(cameraIds(VIEWER_TOKEN)).containsExactly("garage", "porch", "yard");
    assertThat(cameraIds(CONTROL_TOKEN)).containsExactly("garage", "porch", "yard");
    assertThat(cameraIds(GARAGE_TOKEN)).containsExactly("garage");
    assertThat(cameraIds(YARD_PORCH_TOKEN)).containsExactly("porch", "yard");
    assertThat(cameraIds(share("yard", Duration.ofHours(1)))).containsExactly("yard");
  }

  @Test
  void metricsNeedATokenForEveryCameraBecauseTheyNameThemAll() throws Exception {
    assertThat(get("/metrics", VIEWER_TOKEN).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> scoped = get("/metrics", GARAGE_TOKEN);
    assertThat(scoped.statusCode()).isEqualTo(403);
    assertThat(text(scoped)).doesNotContain("porch").doesNotContain("yard");
    assertThat(get("/metrics", share("garage", Duration.ofHours(1))).statusCode()).isEqualTo(403);
  }

  @Test
  void aScopedTokenDoesNotControl() throws Exception {
    ViewerClient viewer = ViewerClient.connect(ws("/cam/garage"), "camrelay.v1", "bearer." + GARAGE_TOKEN);
    try {
      assertThat(viewer.nextTextContaining("\"hello\"")).contains("\"control\":false");
    } finally {
      viewer.closeBlocking();
    }
  }

  @Test
  void aShareLinkOpensItsCameraEverywhereAViewerTokenGoes() throws Exception {
    String link = share("yard", Duration.ofHours(24));
    ViewerClient viewer = ViewerClient.connect(ws("/cam/yard"), "bearer." + link);
    try {
      assertThat(viewer.isOpen()).as("a JWT is a valid subprotocol token, as the web page sends it").isTrue();
      assertThat(viewer.nextFrame()).isNotEmpty();
    } finally {
      viewer.closeBlocking();
    }
    try (MjpegStreamClient mjpeg = MjpegStreamClient.open(relay.httpPort(), "yard", link, 256 * 1024)) {
      assertThat(mjpeg.nextPart(Duration.ofSeconds(10))).isNotEmpty();
    }
    assertThat(get("/cam/yard/snapshot.jpg?token=" + link, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aShareLinkMadeOnAMachineWhoseClockRunsAheadWorksAtOnce() throws Exception {
    Instant ahead = Instant.now().plus(Duration.ofMinutes(2));
    String link = ShareLinks.keyedBy(SHARE_KEY).sign("yard", ahead, ahead.plus(Duration.ofHours(1)));
    assertThat(get("/cam/yard/snapshot.jpg", link).statusCode()).isEqualTo(200);
  }

  @Test
  void aShareLinkForAnotherCameraIs403() throws Exception {
    String link = share("yard", Duration.ofHours(1));
    assertThat(get("/cam/garage/snapshot.jpg?token=" + link, null).statusCode()).isEqualTo(403);
    try (RawWs refused = RawWs.open(relay.wsPort(), "/cam/garage?token=" + link)) {
      assertThat(refused.statusLine).contains(" 403 ");
    }
  }

  @Test
  void anExpiredShareLinkIs401SayingSo() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(2));
    String expired = ShareLinks.keyedBy(SHARE_KEY).sign("yard", past, past.plus(Duration.ofHours(1)));
    HttpResponse<byte[]> response = get("/cam/yard/snapshot.jpg?token=" + expired, null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(text(response)).isEqualTo("share link expired\n");
    try (RawWs refused = RawWs.open(relay.wsPort(), "/cam/yard?token=" + expired)) {
      assertThat(refused.statusLine).contains(" 401 ");
      assertThat(refused.body()).contains("share link expired");
    }
  }

  @Test
  void aShareLinkStopsWorkingWhenItExpiresAndEndsOpenStreams() throws Exception {
    String link = share("yard", Duration.ofSeconds(6));
    ViewerClient viewer = ViewerClient.connect(ws("/cam/yard"), "bearer." + link);
    assertThat(viewer.isOpen()).isTrue();
    MjpegStreamClient mjpeg = MjpegStreamClient.open(relay.httpPort(), "yard", link, 256 * 1024);
    Await.until("the link expires", () -> {
      try {
        return get("/cam/yard/snapshot.jpg", link).statusCode() == 401;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(text(get("/cam/yard/snapshot.jpg", link))).isEqualTo("share link expired\n");
    assertThat(viewer.waitClosed()).as("the open WebSocket ends with the link").isTrue();
    assertThat(viewer.closeReason).isEqualTo("share link expired");
    try (MjpegStreamClient stream = mjpeg) {
      assertThat(stream.closedByRelay(Duration.ofSeconds(10))).as("the open MJPEG stream ends with the link").isTrue();
    }
  }

  @Test
  void aTamperedOrForeignShareLinkIs401() throws Exception {
    String link = share("yard", Duration.ofHours(1));
    String[] parts = link.split("\\.");
    char last = parts[2].charAt(0);
    String badSignature = parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
    String otherCamera = ShareLinks.keyedBy(SHARE_KEY).sign("garage", Instant.now(), Instant.now().plusSeconds(60))
        .split("\\.")[1];
    String swappedClaims = parts[0] + "." + otherCamera + "." + parts[2];
    String foreignKey = ShareLinkSigner.withShareKey("another-key-0123456789").sign("yard", Duration.ofHours(1));
    String unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".";
    for (String bad : List.of(badSignature, swappedClaims, foreignKey, unsigned)) {
      HttpResponse<byte[]> response = get("/cam/yard/snapshot.jpg", bad);
      assertThat(response.statusCode()).as(bad).isEqualTo(401);
      assertThat(text(response)).isEqualTo("the viewer token is not valid\n");
    }
    assertThat(get("/cam/garage/snapshot.jpg", swappedClaims).statusCode()).isEqualTo(401);
  }

  @Test
  void withoutAShareKeyLinksAreSignedWithAKeyFromTheViewerTokenAndDieWithIt() throws Exception {
    try (CameraRelay other = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0)
        .viewerToken("first-viewer-token").build()) {
      other.start();
      other.publish("porch", TestJpegs.frame(1));
      String link = ShareLinkSigner.withViewerToken("first-viewer-token").sign("porch", Duration.ofMinutes(5));
      String stale = ShareLinkSigner.withViewerToken("old-viewer-token").sign("porch", Duration.ofMinutes(5));
      String base = "http://127.0.0.1:" + other.httpPort() + "/cam/porch/snapshot.jpg?token=";
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + link)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + stale)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void startUpSaysWhoSeesWhatAndWhetherShareLinksWorkButNoToken() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (CameraRelay other = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0)
        .viewerToken(GARAGE_TOKEN, Set.of("garage")).viewerToken(YARD_PORCH_TOKEN, Set.of("yard", "porch"))
        .shareKey(SHARE_KEY).build()) {
      other.start();
      String link = ShareLinkSigner.withShareKey(SHARE_KEY).sign("garage", Duration.ofMinutes(1));
      http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.httpPort()
          + "/cam/porch/snapshot.jpg?token=" + link)).build(), HttpResponse.BodyHandlers.discarding());
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("access: viewers: scoped tokens for garage, porch, yard;")
        .contains("; share links: on (signed with the share key)");
    assertThat(log).doesNotContain(GARAGE_TOKEN).doesNotContain(YARD_PORCH_TOKEN).doesNotContain(SHARE_KEY)
        .doesNotContain("eyJ");
  }

  @Test
  void aScopedTokenMayNotRepeatTheViewerTokenAndAShareKeyMayNotBeShort() {
    CameraRelay.Builder b = CameraRelay.builder().viewerToken(VIEWER_TOKEN).viewerToken(VIEWER_TOKEN, Set.of("a"));
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scoped viewer token must differ");
    assertThatThrownBy(() -> CameraRelay.builder().shareKey("short")).hasMessageContaining("at least 16 characters");
  }
}
