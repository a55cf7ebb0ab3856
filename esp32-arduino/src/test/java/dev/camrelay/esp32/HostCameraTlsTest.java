package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with the relay's certificate pinned by SHA-256, end to end: the host camera (the firmware's client over an
 * OpenSSL link that checks the pin before sending HELLO, as the board's WiFiClientSecure link does) against a real
 * {@link CameraRelay} with a TLS keystore on its camera port.
 */
class HostCameraTlsTest {
  private static final Duration GENEROUS = Duration.ofSeconds(30);  // only to avoid hanging, never a measurement
  private static final String CAMERA = "tlscam";
  private static final String TOKEN = "tok-tl5-pinned";
  private static Path frameDir;

  @TempDir
  static Path keys;

  private static RelayKeystore keystore;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeAll
  static void buildHostCameraAndMakeAKeystore() throws Exception {
    HostCamera.build();
    frameDir = Path.of("target", "host-cam-tls-frames").toAbsolutePath();
    HostCamera.writeJpegs(frameDir, Color.YELLOW, Color.GRAY);
    keystore = RelayKeystore.create(keys.resolve("relay.p12"));
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private CameraRelay tlsRelay() throws Exception {
    CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .cameraToken(CAMERA, TOKEN).tls(keystore.path(), keystore.password()).requireCameraTls(true).build();
    relay.start();
    cleanup.add(relay);
    return relay;
  }

  private HostCamera camera(CameraRelay relay, String fingerprint, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(relay.tcpPort()),
        "--id", CAMERA, "--token", TOKEN, "--dir", frameDir.toString(), "--fps", "10",
        "--tls-fingerprint", fingerprint));
    args.addAll(List.of(extra));
    HostCamera camera = HostCamera.start(args.toArray(String[]::new));
    cleanup.add(camera);
    return camera;
  }

  @Test
  void aCameraWithThePinnedFingerprintStreamsOverTls() throws Exception {
    CameraRelay relay = tlsRelay();
    HostCamera camera = camera(relay, keystore.fingerprint());
    camera.awaitLine(l -> l.contains("relay: welcome (protocol v1, streaming"), GENEROUS);
    String reply = relay.control(CAMERA, "{\"cmd\":\"status\"}").get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    assertThat(reply).contains("\"ok\":true").contains("\"state\":\"STREAMING\"");
    assertThat(camera.output()).doesNotContain(TOKEN);
  }

  @Test
  void aCameraRefusesARelayWhoseCertificateDoesNotMatchItsPinAndNeverSendsItsToken() throws Exception {
    CameraRelay relay = tlsRelay();
    String wrong = "00" + keystore.fingerprint().substring(2);
    HostCamera camera = camera(relay, wrong, "--max-connect-attempts", "2");
    assertThat(camera.awaitExit(GENEROUS)).as("gave up connecting").isEqualTo(2);
    assertThat(camera.output()).contains("relay certificate does not match the pinned SHA-256")
        .doesNotContain("relay: welcome");
    assertThat(relay.cameras().stream().filter(c -> c.id().equals(CAMERA)).noneMatch(c -> c.connected())).isTrue();
  }
}
