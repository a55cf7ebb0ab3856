package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.camrelay.relay.CameraRelay;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Updates through the relay end to end on the host: the operator hands a real {@link CameraRelay} an image through its
 * admin API ({@code POST /api/cameras/{id}/firmware}); the relay offers it to the firmware's own client code (the host
 * camera, {@code host/build/camrelay_host_cam}, built by {@code host/run-tests.sh} before the tests), which downloads
 * it from the relay's HTTP port, checks size and SHA-256, restarts into it and confirms it; the relay's API follows
 * each step from the camera's events. A damaged download (served by a JDK HTTP server, since the relay itself only
 * serves the image it hashed) is refused and the relay shows why; a rollback is reported to the relay.
 */
class HostCameraUpdatedThroughRelayTest {
  private static final Duration GENEROUS = Duration.ofSeconds(30);  // only to avoid hanging, never a measurement
  private static final String CAMERA = "otacam";
  private static final String TOKEN = "tok-0ta-relay";
  private static final String ADMIN = "adm1n-0ta";
  private static Path frames;

  @TempDir
  Path state;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private CameraRelay relay;

  @BeforeAll
  static void checkTheHostCameraAndWriteJpegs() throws Exception {
    assertThat(Files.isExecutable(HostCamera.BINARY))
        .as("host/run-tests.sh builds %s before the tests", HostCamera.BINARY).isTrue();
    frames = Path.of("target", "host-cam-relay-update-frames").toAbsolutePath();
    Files.createDirectories(frames);
    for (int i = 0; i < 2; i++) {
      BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(i == 0 ? Color.ORANGE : Color.BLUE);
      g.fillRect(0, 0, 160, 120);
      g.dispose();
      assertThat(ImageIO.write(image, "jpg", frames.resolve("f" + i + ".jpg").toFile())).isTrue();
    }
  }

  @BeforeEach
  void startRelay() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(0)
        .cameraToken(CAMERA, TOKEN).adminToken(ADMIN).build();
    cleanup.add(relay);
    relay.start();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private HostCamera camera(int port, String version) throws Exception {
    HostCamera camera = HostCamera.start("--host", "127.0.0.1", "--port", String.valueOf(port),
        "--id", CAMERA, "--token", TOKEN, "--dir", frames.toString(), "--fps", "5", "--state-dir", state.toString(),
        "--firmware-version", version);
    cleanup.add(camera);
    return camera;
  }

  private HostCamera oldCameraOnline() throws Exception {
    HostCamera camera = camera(relay.tcpPort(), "0.1.0");
    camera.awaitLine(l -> l.contains("relay: welcome"), GENEROUS);
    return camera;
  }

  private HttpResponse<String> offerThroughTheRelay(byte[] image, String version) throws Exception {
    return http.send(HttpRequest.newBuilder(api("/api/cameras/" + CAMERA + "/firmware?version=" + version))
        .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + relay.httpPort() + path);
  }

  /** The relay's view of the camera's update (empty before it has one). */
  private JsonObject relaysView() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(api("/api/cameras/" + CAMERA + "/firmware")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JsonParser.parseString(r.body()).getAsJsonObject() : new JsonObject();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonObject awaitRelaysView(String state) throws InterruptedException {
    long deadline = System.nanoTime() + GENEROUS.toNanos();
    JsonObject view = relaysView();
    while (!(view.has("state") && view.get("state").getAsString().equals(state))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the relay never showed '" + state + "'; last: " + view);
      }
      Thread.sleep(20);
      view = relaysView();
    }
    return view;
  }

  private static byte[] image(int size) {
    byte[] b = new byte[size];
    new Random(15).nextBytes(b);
    b[0] = (byte) 0xE9;  // an ESP32 app image starts so
    return b;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void theRelayOffersAnImageTheHostCameraDownloadsFromItVerifiesRestartsIntoAndConfirms() throws Exception {
    byte[] image = image(250_000);
    HostCamera old = oldCameraOnline();

    HttpResponse<String> offered = offerThroughTheRelay(image, "0.2.0");
    assertThat(offered.statusCode()).as(offered.body()).isEqualTo(202);
    assertThat(offered.body()).contains("\"sha256\":\"" + sha256(image) + "\"");
    String from = old.awaitLine(l -> l.contains("ota: downloading firmware 0.2.0"), GENEROUS);
    Matcher url = Pattern.compile("from (http://127\\.0\\.0\\.1:" + relay.httpPort() + "/firmware/[0-9a-f]{32}\\.bin)")
        .matcher(from);
    assertThat(url.find()).as("the camera downloads from the relay's HTTP port: " + from).isTrue();
    assertThat(old.awaitExit(GENEROUS)).as("exit 4: restart into the new image").isEqualTo(4);
    assertThat(old.output()).contains("ota: firmware 0.2.0 verified (250000 bytes, SHA-256 matches)");
    assertThat(Files.readAllBytes(state.resolve("next.bin"))).isEqualTo(image);
    assertThat(awaitRelaysView("rebooting").get("version").getAsString()).isEqualTo("0.2.0");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(url.group(1))).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).as("the image is no longer served").isEqualTo(404);

    HostCamera updated = camera(relay.tcpPort(), "0.2.0");
    updated.awaitLine(l -> l.contains("ota: firmware 0.2.0 confirmed (the relay was reached)"), GENEROUS);
    JsonObject confirmed = awaitRelaysView("confirmed");
    assertThat(confirmed.get("version").getAsString()).isEqualTo("0.2.0");
    assertThat(confirmed.get("size").getAsLong()).isEqualTo(image.length);
    assertThat(updated.output()).doesNotContain(TOKEN);
  }

  @Test
  void aDamagedDownloadIsRefusedAndTheRelayShowsWhy() throws Exception {
    byte[] image = image(120_000);
    byte[] damaged = image.clone();
    damaged[60_000] ^= 0x40;
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fw.bin", exchange -> {
      exchange.sendResponseHeaders(200, damaged.length);
      exchange.getResponseBody().write(damaged);
      exchange.close();
    });
    server.start();
    cleanup.add(() -> server.stop(0));
    HostCamera camera = oldCameraOnline();

    String command = "{\"cmd\":\"ota\",\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/fw.bin\","
        + "\"size\":" + image.length + ",\"sha256\":\"" + sha256(image) + "\",\"version\":\"0.2.0\"}";
    assertThat(relay.control(CAMERA, command).get(GENEROUS.toSeconds(), TimeUnit.SECONDS)).contains("\"ok\":true");
    camera.awaitLine(l -> l.contains("ota: update 0.2.0 FAILED: SHA-256 mismatch"), GENEROUS);
    assertThat(awaitRelaysView("failed").get("error").getAsString()).startsWith("SHA-256 mismatch");
    assertThat(Files.exists(state.resolve("next.bin"))).isFalse();

    HttpResponse<String> again = offerThroughTheRelay(image, "0.2.0");
    assertThat(again.statusCode()).as("a failed update does not block the next: " + again.body()).isEqualTo(202);
    assertThat(camera.awaitExit(GENEROUS)).isEqualTo(4);
  }

  @Test
  void aNewImageThatNeverReachesTheRelayRollsBackAndTheRelayIsTold() throws Exception {
    byte[] image = image(60_000);
    HostCamera old = oldCameraOnline();
    assertThat(offerThroughTheRelay(image, "0.2.0").statusCode()).isEqualTo(202);
    assertThat(old.awaitExit(GENEROUS)).isEqualTo(4);

    HostCamera lost = camera(1, "0.2.0");  // the new image cannot reach a relay, and dies
    lost.awaitLine(l -> l.contains("ota: first boot of new firmware 0.2.0"), GENEROUS);
    lost.close();

    camera(relay.tcpPort(), "0.1.0").awaitLine(l -> l.contains("relay: welcome"), GENEROUS);
    JsonObject view = awaitRelaysView("rolled-back");
    assertThat(view.get("version").getAsString()).as("the running version").isEqualTo("0.1.0");
    assertThat(view.get("error").getAsString()).contains("previous one is running");
    assertThat(Files.readString(state.resolve("boot-state"), StandardCharsets.UTF_8).trim()).isEqualTo("aborted");
  }
}
