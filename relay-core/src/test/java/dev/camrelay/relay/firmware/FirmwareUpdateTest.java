package dev.camrelay.relay.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Firmware updates through the relay, over real sockets with a framed camera speaking the firmware's messages
 * (esp32-arduino/camrelay_cam/src/camrelay/ota.h): the admin API offers an image, the camera is told its URL, size and
 * SHA-256 over CONTROL, downloads it from the relay's HTTP port, and reports progress as events (CONTROL id 0), which
 * the API and {@code /api/cameras} show.
 */
class FirmwareUpdateTest {
  private static final String ADMIN = "adm1n-firmware";
  private static final String CAMERA = "garage";
  private static final String CAMERA_TOKEN = "cam-t0ken";
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private CameraRelay relay;

  private void start(CameraRelay.Builder b) throws Exception {
    relay = b.bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(0).cameraToken(CAMERA, CAMERA_TOKEN).build();
    cleanup.add(relay);
    relay.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  /** A framed camera with CONTROL that accepts ota offers as the firmware does. */
  private FakeCamera camera() throws Exception {
    FakeCamera cam = FakeCamera.framed(relay.tcpPort(), CAMERA, CAMERA_TOKEN, Hello.CONTROL)
        .answerControl(json -> json.contains("\"ota\"") ? "{\"ok\":true,\"ota\":\"downloading\"}" : "{\"ok\":true}");
    cleanup.add(cam);
    cam.awaitWelcome();
    return cam;
  }

  private HttpResponse<String> offer(byte[] image, String query, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(url("/api/cameras/" + CAMERA + "/firmware" + query))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(image));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + relay.httpPort() + path);
  }

  private JsonObject status() throws Exception {
    HttpResponse<String> r = get("/api/cameras/" + CAMERA + "/firmware");
    return r.statusCode() == 200 ? JsonParser.parseString(r.body()).getAsJsonObject() : new JsonObject();
  }

  private String state() {
    try {
      JsonObject s = status();
      return s.has("state") ? s.get("state").getAsString() : "none";
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void event(FakeCamera cam, String json) throws Exception {
    cam.send(Message.control(0, json, false));
  }

  private static byte[] image(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    return b;
  }

  @Test
  void anOfferedImageIsServedAtTheUrlTheCameraIsToldAndProgressShowsInTheApiUntilConfirmed() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    FakeCamera cam = camera();
    byte[] image = image(300_000);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));

    HttpResponse<String> accepted = offer(image, "?version=1.4.0", ADMIN);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    JsonObject answer = JsonParser.parseString(accepted.body()).getAsJsonObject();
    assertThat(answer.get("state").getAsString()).isEqualTo("offered");
    assertThat(answer.get("sha256").getAsString()).isEqualTo(sha);
    assertThat(answer.get("size").getAsLong()).isEqualTo(image.length);
    assertThat(accepted.body()).doesNotContain("/firmware/");

    Control command = cam.awaitControl();
    JsonObject ota = JsonParser.parseString(command.json()).getAsJsonObject();
    assertThat(ota.get("cmd").getAsString()).isEqualTo("ota");
    assertThat(ota.get("size").getAsLong()).isEqualTo(image.length);
    assertThat(ota.get("sha256").getAsString()).isEqualTo(sha);
    assertThat(ota.get("version").getAsString()).isEqualTo("1.4.0");
    String imageUrl = ota.get("url").getAsString();
    assertThat(imageUrl).matches("http://127\\.0\\.0\\.1:" + relay.httpPort() + "/firmware/[0-9a-f]{32}\\.bin");

    HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(URI.create(imageUrl)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(image);

    event(cam, "{\"event\":\"ota\",\"state\":\"downloading\",\"received\":150000,\"size\":300000}");
    Await.until("the API shows the download", () -> state().equals("downloading"));
    assertThat(status().get("received").getAsLong()).isEqualTo(150_000);
    event(cam, "{\"event\":\"ota\",\"state\":\"rebooting\",\"version\":\"1.4.0\"}");
    Await.until("the API shows the reboot", () -> state().equals("rebooting"));
    assertThat(get(URI.create(imageUrl).getPath()).statusCode()).as("served only while the offer lasts").isEqualTo(404);

    cam.close();
    FakeCamera rebooted = camera();
    event(rebooted, "{\"event\":\"ota\",\"state\":\"confirmed\",\"version\":\"1.4.0\"}");
    Await.until("the API shows the confirmation", () -> state().equals("confirmed"));
    JsonObject listed = JsonParser.parseString(get("/api/cameras").body()).getAsJsonObject()
        .getAsJsonArray("cameras").get(0).getAsJsonObject();
    assertThat(listed.getAsJsonObject("firmware").get("state").getAsString()).isEqualTo("confirmed");
    assertThat(listed.getAsJsonObject("firmware").get("version").getAsString()).isEqualTo("1.4.0");
  }

  @Test
  void aFailedDownloadEndsTheOfferWithTheCamerasReasonAndANewOfferIsTakenAfter() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    FakeCamera cam = camera();
    assertThat(offer(image(5000), "", ADMIN).statusCode()).isEqualTo(202);
    String imageUrl = JsonParser.parseString(cam.awaitControl().json()).getAsJsonObject().get("url").getAsString();
    HttpResponse<String> busy = offer(image(5000), "", ADMIN);
    assertThat(busy.statusCode()).isEqualTo(409);
    assertThat(busy.body()).contains("already updating").contains("offered");

    event(cam, "{\"event\":\"ota\",\"state\":\"failed\",\"error\":\"sha256 mismatch: got 12ab, want 34cd\"}");
    Await.until("the API shows the failure", () -> state().equals("failed"));
    assertThat(status().get("error").getAsString()).isEqualTo("sha256 mismatch: got 12ab, want 34cd");
    assertThat(get(URI.create(imageUrl).getPath()).statusCode()).isEqualTo(404);
    assertThat(offer(image(5000), "", ADMIN).statusCode()).isEqualTo(202);
  }

  @Test
  void eventsAreNeverAnsweredWhileOtherCameraRequestsStillAre() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN));
    FakeCamera cam = camera();
    event(cam, "{\"event\":\"ota\",\"state\":\"rolled-back\",\"version\":\"1.3.9\",\"error\":\"no relay\"}");
    event(cam, "{\"event\":\"something-new\"}");
    cam.send(Message.control(5, "{\"cmd\":\"hello\"}", false));
    Control first = cam.awaitControl();
    assertThat(first.requestId()).as("the events got no answer; the request after them did").isEqualTo(5);
    assertThat(first.reply()).isTrue();
    Await.until("an update this relay did not offer still shows", () -> state().equals("rolled-back"));
    assertThat(status().get("version").getAsString()).isEqualTo("1.3.9");
  }

  @Test
  void badOffersGetASpecificAnswer() throws Exception {
    start(CameraRelay.builder().adminToken(ADMIN).maxFirmwareBytes(10_000));
    assertThat(offer(image(100), "", null).statusCode()).isEqualTo(401);
    assertThat(offer(image(100), "", "wrong").statusCode()).isEqualTo(403);
    HttpResponse<String> offline = offer(image(100), "", ADMIN);
    assertThat(offline.statusCode()).isEqualTo(409);
    assertThat(offline.body()).contains("not connected over the framed protocol");
    FakeCamera cam = camera();
    assertThat(offer(new byte[0], "", ADMIN).body()).contains("the firmware image is empty");
    HttpResponse<String> big = offer(image(10_001), "", ADMIN);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("10000 bytes");
    assertThat(offer(image(100), "?version=1%202", ADMIN).body()).contains("version must be");
    cam.answerControl(json -> "{\"ok\":false,\"error\":\"ota size 100 does not fit the update partition\"}");
    HttpResponse<String> refused = offer(image(100), "", ADMIN);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("refused the update: ota size 100 does not fit");
    assertThat(state()).isEqualTo("refused");
    assertThat(get("/firmware/00000000000000000000000000000000.bin").statusCode()).isEqualTo(404);
  }

  @Test
  void withTheAdminApiOffNoUpdateCanBeOffered() throws Exception {
    start(CameraRelay.builder());
    HttpResponse<String> off = offer(image(100), "", ADMIN);
    assertThat(off.statusCode()).isEqualTo(403);
    assertThat(off.body()).contains("admin API is off");
  }
}
