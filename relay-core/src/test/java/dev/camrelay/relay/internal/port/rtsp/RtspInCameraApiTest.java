package dev.camrelay.relay.internal.port.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API tells where each camera is served over RTSP and why a camera's frames are not: {@code /api/info}'s
 * {@code rtspPort}, each {@code /api/cameras} entry's {@code rtsp} path and {@code rtspRefused} reason. Real relay,
 * real sockets on loopback.
 */
class RtspInCameraApiTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private CameraRelay relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  private void start(int rtspPort) throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0).rtspPort(rtspPort).build();
    relay.start();
  }

  private JsonObject get(String path) {
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + relay.httpPort() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private JsonObject camera(String id) {
    for (JsonElement c : get("/api/cameras").getAsJsonArray("cameras")) {
      if (c.getAsJsonObject().get("id").getAsString().equals(id)) {
        return c.getAsJsonObject();
      }
    }
    throw new AssertionError("camera " + id + " not listed");
  }

  @Test
  void apiInfoNamesTheRtspPortAndEachCameraItsRtspPath() throws Exception {
    start(0);
    relay.publish("yard", TestJpegs.frame(1, 320, 240));
    assertThat(relay.rtspPort()).isPositive();
    assertThat(get("/api/info").get("rtspPort").getAsInt()).isEqualTo(relay.rtspPort());
    JsonObject yard = camera("yard");
    assertThat(yard.get("rtsp").getAsString()).isEqualTo("/yard");
    assertThat(yard.has("rtspRefused")).as("nothing refused").isFalse();
  }

  @Test
  void withRtspOffInfoSaysMinusOneAndCamerasCarryNoRtspPath() throws Exception {
    start(-1);
    relay.publish("yard", TestJpegs.frame(1, 320, 240));
    assertThat(get("/api/info").get("rtspPort").getAsInt()).isEqualTo(-1);
    assertThat(camera("yard").has("rtsp")).isFalse();
  }

  @Test
  void aFrameRtpJpegCannotCarryShowsItsReasonUntilAFrameGoesOutAgain() throws Exception {
    start(0);
    int port = relay.rtspPort();
    relay.publish("yard", TestJpegs.grayscale(320, 240));
    relay.publish("porch", TestJpegs.frame(1, 320, 240));
    try (RtspTestClient client = new RtspTestClient(port)) {
      String base = "rtsp://127.0.0.1:" + port + "/yard/";
      String session = client.request("SETUP", base + "trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")
          .header("Session").substring(0, 16);
      assertThat(client.request("PLAY", base, "Session: " + session).status()).isEqualTo(200);
      Await.until("/api/cameras names the refusal", () -> camera("yard").has("rtspRefused"));
      assertThat(camera("yard").get("rtspRefused").getAsString()).contains("grayscale");
      assertThat(camera("porch").has("rtspRefused")).as("other cameras unaffected").isFalse();

      relay.publish("yard", TestJpegs.frame(2, 320, 240));
      client.readInterleaved(); // the good frame's first packet: it went out
      Await.until("the refusal is gone once a frame goes out", () -> !camera("yard").has("rtspRefused"));
    }
  }
}
