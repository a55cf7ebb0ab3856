package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.MjpegServer;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API changes the relay's cameras while it runs, over real sockets: {@code PUT /api/cameras/{id}} starts a
 * pull or sets a camera's token at once, {@code DELETE} stops it; {@code /api/cameras} lists configured cameras from
 * the start with their state.
 */
class CameraAdminApiTest {
  private static final String ADMIN = "adm1n-s3cret";
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private CameraRelay relay;

  private void start(CameraRelay.Builder b) throws Exception {
    relay = b.bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).handshakeTimeout(Duration.ofSeconds(2)).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.httpPort() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String id, String json) throws Exception {
    return send("PUT", "/api/cameras/" + id, ADMIN, json);
  }

  /** The camera's entry in /api/cameras, if listed. */
  private Optional<JsonObject> listed(String id) {
    try {
      JsonArray cameras = JsonParser.parseString(send("GET", "/api/cameras", null, null).body()).getAsJsonObject()
          .getAsJsonArray("cameras");
      for (JsonElement c : cameras) {
        if (c.getAsJsonObject().get("id").getAsString().equals(id)) {
          return Optional.of(c.getAsJsonObject());
        }
      }
      return Optional.empty();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String state(String id) {
    return listed(id).map(c -> c.get("state").getAsString()).orElse("<not listed>");
  }

  @Test
  void aCameraRemovedWhileAViewerStillHoldsItLeavesTheListWhenThatViewerLeaves() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    try (MjpegServer esp = new MjpegServer()) {
      assertThat(put("porch", "{\"pullUrl\": \"" + esp.url() + "\"}").statusCode()).isEqualTo(201);
      Await.until("the pull connected to the camera", () -> esp.accepted() == 1);
      // A viewer whose connection has not finished closing when the camera is removed (as on a loaded machine).
      OutputHandle viewer = relay.attachOutput("porch", frame -> { });
      assertThat(send("DELETE", "/api/cameras/porch", ADMIN, null).statusCode()).isEqualTo(204);
      assertThat(listed("porch")).as("still held by its viewer").isPresent();

      viewer.close();
      Await.until("the camera leaves the list", () -> listed("porch").isEmpty());
    }
  }

  @Test
  void aCameraRemovedWhileItsSourceAndAViewerHoldItLeavesTheListWhenTheLastOfThemLeaves() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    assertThat(put("porch", "{}").statusCode()).isEqualTo(201);
    // A source that removal does not stop (as a pull that attached just as it was stopped): an in-process one.
    SourceHandle source = relay.attachSource("porch", SourceInfo.of("java", "in-process"), (reason, message) -> { });
    OutputHandle viewer = relay.attachOutput("porch", frame -> { });
    assertThat(send("DELETE", "/api/cameras/porch", ADMIN, null).statusCode()).isEqualTo(204);

    viewer.close();
    assertThat(listed("porch")).as("still held by its source").isPresent();
    source.close();
    Await.until("the camera leaves the list", () -> listed("porch").isEmpty());
  }

  @Test
  void aPullCameraPutThroughTheApiIsListedAtOnceAsConnectingThenGoesLiveAndReachesViewers() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    try (MjpegServer esp = new MjpegServer().holdResponses()) {
      HttpResponse<String> created = put("garage", "{\"pullUrl\": \"" + esp.url() + "\"}");
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.body()).contains("\"pullUrl\":\"" + esp.url() + "\"").contains("\"changed\":true");
      Await.until("the pull connected to the camera", () -> esp.accepted() == 1);
      assertThat(state("garage")).isEqualTo("connecting");
      assertThat(listed("garage").orElseThrow().get("ingest").getAsString()).isEqualTo("pull");

      esp.respond();
      Await.until("the pulled camera is live", () -> state("garage").equals("live"));
      ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/garage");
      byte[] jpeg = TestJpegs.frame(7, 320, 240);
      esp.send(jpeg);
      assertThat(viewer.nextFrame()).isEqualTo(jpeg);
      viewer.closeBlocking();

      HttpResponse<String> again = put("garage", "{\"pullUrl\": \"" + esp.url() + "\"}");
      assertThat(again.statusCode()).as("PUT is idempotent").isEqualTo(200);
      assertThat(again.body()).contains("\"changed\":false");
      assertThat(esp.accepted()).as("the same spec again does not restart the pull").isEqualTo(1);

      assertThat(send("DELETE", "/api/cameras/garage", ADMIN, null).statusCode()).isEqualTo(204);
      Await.until("the relay closed the pull connection", () -> esp.ended() == 1);
      Await.until("the camera leaves the list", () -> listed("garage").isEmpty());
      assertThat(relay.registry().specs()).doesNotContainKey("garage");
      assertThat(send("DELETE", "/api/cameras/garage", ADMIN, null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void changingOnePullUrlRestartsOnlyThatPull() throws Exception {
    try (MjpegServer first = new MjpegServer(); MjpegServer second = new MjpegServer();
        MjpegServer other = new MjpegServer()) {
      start(CameraRelay.builder().adminToken(ADMIN).pull("porch", other.url()));
      put("garage", "{\"pullUrl\": \"" + first.url() + "\"}");
      Await.until("both pulls are live", () -> state("garage").equals("live") && state("porch").equals("live"));
      ViewerClient porchViewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/porch");
      other.send(TestJpegs.frame(1));
      porchViewer.nextFrame();

      assertThat(put("garage", "{\"pullUrl\": \"" + second.url() + "\"}").body()).contains("\"changed\":true");
      Await.until("the old pull is closed", () -> first.ended() == 1);
      Await.until("the new pull is live", () -> second.accepted() == 1 && state("garage").equals("live"));
      byte[] jpeg = TestJpegs.frame(2);
      other.send(jpeg);
      assertThat(porchViewer.nextFrame()).as("the other camera and its viewer were not touched").isEqualTo(jpeg);
      assertThat(other.accepted()).isEqualTo(1);
      assertThat(other.ended()).isZero();
      porchViewer.closeBlocking();
    }
  }

  @Test
  void aPullCameraWhoseServerRefusesSaysSoInItsState() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // nothing listens here once closed
    }
    start(CameraRelay.builder().adminToken(ADMIN).pull("porch", URI.create("http://127.0.0.1:" + closedPort + "/")));
    assertThat(listed("porch")).as("configured pull cameras are listed before any frame").isPresent();
    Await.until("the state says the connection was refused",
        () -> state("porch").toLowerCase(Locale.ROOT).startsWith("connecting: ")
            && state("porch").toLowerCase(Locale.ROOT).contains("connection refused"));
    put("shed", "{\"pullUrl\": \"http://127.0.0.1:" + closedPort + "/stream\"}");
    Await.until("a camera put through the API says so too",
        () -> state("shed").toLowerCase(Locale.ROOT).contains("connection refused"));
  }

  @Test
  void theAdminApiNeedsTheAdminToken() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    String body = "{\"cameraToken\": \"k3y\"}";
    HttpResponse<String> none = send("PUT", "/api/cameras/garage", null, body);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(send("PUT", "/api/cameras/garage", "wrong", body).statusCode()).isEqualTo(403);
    assertThat(send("DELETE", "/api/cameras/garage", "wrong", null).statusCode()).isEqualTo(403);
    assertThat(relay.registry().specs()).isEmpty();
    assertThat(send("PUT", "/api/cameras/garage?token=" + ADMIN, null, body).statusCode()).isEqualTo(201);
    assertThat(relay.registry().specs()).containsKey("garage");
  }

  @Test
  void withoutAnAdminTokenTheAdminApiIsOff() throws Exception {
    start(CameraRelay.builder());
    HttpResponse<String> off = send("PUT", "/api/cameras/garage", "anything", "{}");
    assertThat(off.statusCode()).isEqualTo(403);
    assertThat(off.body()).contains("admin API is off").contains("--admin-token");
    assertThat(relay.registry().specs()).isEmpty();
  }

  @Test
  void badRequestsGetASpecificError() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    assertThat(put("bad%20id", "{}").body()).contains("invalid camera id");
    assertThat(put("garage", "{\"pullUrl\": \"ftp://cam/stream\"}").body())
        .contains("pullUrl").contains("http:// or https://");
    assertThat(put("garage", "{\"pullUrl\": \"http://cam:81/a b\"}").body()).contains("pullUrl is not a valid URL");
    assertThat(put("garage", "{\"pullURL\": \"http://cam:81/\"}").body()).contains("unknown field 'pullURL'");
    assertThat(put("garage", "{\"recording\": true}").body()).contains("unknown field 'recording'");
    assertThat(put("garage", "{\"cameraToken\": 5}").body()).contains("cameraToken must be a string");
    assertThat(put("garage", "{\"cameraToken\": \"\"}").body()).contains("cameraToken").contains("empty");
    assertThat(put("garage", "{nope").body()).contains("not valid JSON");
    assertThat(put("garage", "").body()).contains("a JSON object is required");
    HttpResponse<String> big = put("garage", "{\"cameraToken\": \"" + "x".repeat(20_000) + "\"}");
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(put("garage", "{\"pullURL\": 1}").statusCode()).isEqualTo(400);
    try (Socket slow = new Socket("127.0.0.1", relay.httpPort())) {
      slow.getOutputStream().write(("PUT /api/cameras/garage HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
          + "\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).as("a body that never completes is not waited for forever").startsWith("HTTP/1.1 408");
    }
    assertThat(relay.registry().specs()).isEmpty();
    // The relay still serves after all that.
    assertThat(put("garage", "{}").statusCode()).isEqualTo(201);
  }

  @Test
  void aCameraTokenPutThroughTheApiLetsThatCameraPublishAtOnceAndRefusesTheOldToken() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN).cameraToken("garage", "old"));
    FakeCamera connected = FakeCamera.framed(relay.tcpPort(), "garage", "old", 0);
    connected.awaitWelcome();

    assertThat(put("garage", "{\"cameraToken\": \"new\"}").statusCode()).isEqualTo(200);
    assertThat(connected.awaitClose(MessageType.BYE).code())
        .as("the camera connected with the old token is let go").isEqualTo(ErrorCode.AUTH_FAILED);
    connected.close();
    try (FakeCamera old = FakeCamera.framed(relay.tcpPort(), "garage", "old", 0)) {
      assertThat(old.awaitClose(MessageType.ERROR).code()).isEqualTo(ErrorCode.AUTH_FAILED);
    }
    try (FakeCamera fresh = FakeCamera.framed(relay.tcpPort(), "garage", "new", 0)) {
      fresh.awaitWelcome();
      byte[] jpeg = TestJpegs.frame(3);
      fresh.sendFrame(jpeg);
      Await.until("the camera with the new token publishes", () -> relay.latestFrame("garage").isPresent());
      assertThat(state("garage")).isEqualTo("live");

      assertThat(send("DELETE", "/api/cameras/garage", ADMIN, null).statusCode()).isEqualTo(204);
      assertThat(fresh.awaitClose(MessageType.BYE).code()).as("removing the camera lets its connection go")
          .isEqualTo(ErrorCode.AUTH_FAILED);
    }
    Await.until("the removed camera leaves the list", () -> listed("garage").isEmpty());
    try (FakeCamera after = FakeCamera.framed(relay.tcpPort(), "garage", "new", 0)) {
      assertThat(after.awaitClose(MessageType.ERROR).code())
          .as("once removed, the id's token proves nothing (and other ids stay refused)")
          .isEqualTo(ErrorCode.AUTH_FAILED);
    }
  }
}
