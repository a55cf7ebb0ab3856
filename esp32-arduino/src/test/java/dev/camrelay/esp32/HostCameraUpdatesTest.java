package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.camrelay.relay.CameraRelay;
import java.awt.Color;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firmware's update path end to end on the host: a real {@link CameraRelay} passes an {@code ota} command to the
 * host camera (the firmware's OtaUpdater and CameraApp), which downloads the image over plain HTTP from a real HTTP
 * server on loopback, checks size and SHA-256, "flashes" it into its state folder and exits to restart; started
 * again as the new version it confirms the image once the relay answers, or rolls back if it died before that.
 * It offers the image with {@link CameraRelay#control} and a JDK HTTP server so it can serve damaged or missing
 * images; the relay's own update path is tested by HostCameraUpdatedThroughRelayTest.
 */
class HostCameraUpdatesTest {
  private static final Duration GENEROUS = Duration.ofSeconds(30);  // only to avoid hanging, never a measurement
  private static final String CAMERA = "updcam";
  private static final String TOKEN = "tok-upd4te";
  private static Path frameDir;

  @TempDir
  Path state;

  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private String baseUrl;
  private CameraRelay relay;

  @BeforeAll
  static void buildHostCamera() throws Exception {
    HostCamera.build();
    frameDir = Path.of("target", "host-cam-update-frames").toAbsolutePath();
    HostCamera.writeJpegs(frameDir, Color.CYAN, Color.PINK);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @BeforeEach
  void startRelayAndHttpServer() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .cameraToken(CAMERA, TOKEN).build();
    relay.start();
    cleanup.add(relay);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/firmware/", exchange -> {
      byte[] body = served.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    cleanup.add(() -> server.stop(0));
    baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private HostCamera camera(int port, String version) throws Exception {
    HostCamera camera = HostCamera.start("--host", "127.0.0.1", "--port", String.valueOf(port), "--id", CAMERA,
        "--token", TOKEN, "--dir", frameDir.toString(), "--fps", "10", "--state-dir", state.toString(),
        "--firmware-version", version);
    cleanup.add(camera);
    return camera;
  }

  /** The camera running the old firmware, connected to the relay. */
  private HostCamera oldCameraOnline() throws Exception {
    HostCamera camera = camera(relay.tcpPort(), "0.1.0");
    camera.awaitLine(l -> l.contains("relay: welcome"), GENEROUS);
    return camera;
  }

  private static byte[] image(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    b[0] = (byte) 0xE9;  // an ESP32 app image starts so; the host camera does not check it
    return b;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private String offer(String path, int size, String sha) throws Exception {
    String json = "{\"cmd\":\"ota\",\"url\":\"" + baseUrl + path + "\",\"size\":" + size + ",\"sha256\":\"" + sha
        + "\",\"version\":\"0.2.0\"}";
    return relay.control(CAMERA, json).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
  }

  private String bootState() throws Exception {
    return Files.readString(state.resolve("boot-state")).trim();
  }

  @Test
  void anOfferedImageIsDownloadedVerifiedRestartedIntoAndConfirmedWhenTheRelayAnswers() throws Exception {
    byte[] image = image(300_000);
    served.put("/firmware/updcam/0.2.0.bin", image);
    HostCamera old = oldCameraOnline();

    String reply = offer("/firmware/updcam/0.2.0.bin", image.length, sha256(image));
    assertThat(reply).isEqualTo("{\"ok\":true,\"ota\":\"downloading\",\"size\":300000}");
    assertThat(old.awaitExit(GENEROUS)).as("exit code 4: restart into the new image").isEqualTo(4);
    assertThat(old.output()).contains("ota: firmware 0.2.0 verified (300000 bytes, SHA-256 matches)");
    assertThat(Files.readAllBytes(state.resolve("next.bin"))).isEqualTo(image);
    assertThat(bootState()).isEqualTo("new");

    HostCamera updated = camera(relay.tcpPort(), "0.2.0");
    updated.awaitLine(l -> l.contains("ota: first boot of new firmware 0.2.0"), GENEROUS);
    updated.awaitLine(l -> l.contains("ota: firmware 0.2.0 confirmed (the relay was reached)"), GENEROUS);
    assertThat(bootState()).isEqualTo("valid");
    assertThat(updated.output()).doesNotContain(TOKEN);
  }

  @Test
  void aCorruptedImageIsRefusedAndTheCameraKeepsRunningItsFirmware() throws Exception {
    byte[] image = image(120_000);
    String goodSha = sha256(image);
    byte[] corrupted = image.clone();
    corrupted[60_000] ^= 0x40;
    served.put("/firmware/updcam/bad.bin", corrupted);
    HostCamera camera = oldCameraOnline();

    assertThat(offer("/firmware/updcam/bad.bin", image.length, goodSha)).contains("\"ok\":true");
    camera.awaitLine(l -> l.contains("ota: update 0.2.0 FAILED: SHA-256 mismatch"), GENEROUS);
    assertThat(Files.exists(state.resolve("next.bin"))).isFalse();
    // still the same session, still answering
    assertThat(relay.control(CAMERA, "{\"cmd\":\"status\"}").get(GENEROUS.toSeconds(), TimeUnit.SECONDS))
        .contains("\"firmware\":\"camrelay-esp32/0.1.0 (host)\"");

    assertThat(offer("/firmware/updcam/missing.bin", image.length, goodSha)).contains("\"ok\":true");
    camera.awaitLine(l -> l.contains("ota: update 0.2.0 FAILED: download failed: HTTP 404"), GENEROUS);
    assertThat(offer("/firmware/updcam/bad.bin", image.length, "abc"))
        .isEqualTo("{\"ok\":false,\"error\":\"ota sha256 must be 64 hex digits\"}");
  }

  @Test
  void aNewImageThatDiesBeforeReachingTheRelayIsRolledBackAndTheOldOneReportsIt() throws Exception {
    byte[] image = image(80_000);
    served.put("/firmware/updcam/0.2.0.bin", image);
    HostCamera old = oldCameraOnline();
    offer("/firmware/updcam/0.2.0.bin", image.length, sha256(image));
    assertThat(old.awaitExit(GENEROUS)).isEqualTo(4);

    // The new image starts but cannot reach a relay (wrong port) and dies: the next start is a rollback.
    HostCamera broken = camera(1, "0.2.0");
    broken.awaitLine(l -> l.contains("ota: first boot of new firmware 0.2.0"), GENEROUS);
    broken.close();
    assertThat(bootState()).isEqualTo("pending");

    HostCamera back = camera(relay.tcpPort(), "0.1.0");
    back.awaitLine(l -> l.contains("host-cam: boot: rolled back"), GENEROUS);
    back.awaitLine(l -> l.contains("ota: the update to 0.2.0 did not stay (rolled back, or it never completed): "
        + "running 0.1.0"), GENEROUS);
    back.awaitLine(l -> l.contains("relay: welcome"), GENEROUS);
    assertThat(bootState()).isEqualTo("aborted");
  }
}
