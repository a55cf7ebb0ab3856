package dev.camrelay.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.Cli;
import dev.camrelay.cli.TestKeystore;
import dev.camrelay.relay.CameraRelay;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camrelay simulate} over TLS to a relay that refuses plain-TCP cameras, so every frame that arrives came
 * over TLS; a certificate the camera cannot trust ends the run with the reason.
 */
@Timeout(90)
class SimulateTlsTest {
  private static final String PASSWORD = "s3cret-ks";

  @TempDir static Path dir;
  private static Path p12;
  private static String fingerprint;

  @BeforeAll
  static void keystore() throws Exception {
    p12 = TestKeystore.generate(dir, PASSWORD);
    fingerprint = CameraTls.fingerprint(TestKeystore.certificate(p12, PASSWORD));
  }

  private static CameraRelay tlsOnlyRelay() throws Exception {
    CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1)
        .tls(p12, PASSWORD.toCharArray()).requireCameraTls(true).build();
    relay.start();
    return relay;
  }

  /** Waits for {@code count} frames of {@code cameraId} to reach the relay. */
  private static void awaitFrames(CameraRelay relay, String cameraId, int count) throws Exception {
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    try (AutoCloseable listener = relay.onFrame((id, frame) -> frames.add(id))) {
      for (int i = 0; i < count; ) {
        String id = frames.poll(20, TimeUnit.SECONDS);
        assertThat(id).as("frame %d within 20 s", i).isNotNull();
        if (id.equals(cameraId)) {
          i++;
        }
      }
    }
  }

  @Test
  void framedCameraAtTheBannersTlsAddressWithThePinnedFingerprintStreamsOverTls() throws Exception {
    try (CameraRelay relay = tlsOnlyRelay()) {
      Cli.Running sim = Cli.background("simulate", "--relay", "tls://127.0.0.1:" + relay.tcpPort(), "--camera-id",
          "pin", "--tls-fingerprint", fingerprint, "--fps", "25", "--size", "160x120");
      awaitFrames(relay, "pin", 3);
      Cli.Result r = sim.stop();
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("-> tls://127.0.0.1:" + relay.tcpPort() + " (TLS, pinned certificate, framed)");
    }
  }

  @Test
  void rawPerFrameCameraWithInsecureTrustStreamsOverTls() throws Exception {
    try (CameraRelay relay = tlsOnlyRelay()) {
      Cli.Running sim = Cli.background("simulate", "--relay", "127.0.0.1:" + relay.tcpPort(), "--insecure",
          "--raw-per-frame", "--fps", "20", "--size", "160x120");
      awaitFrames(relay, "default", 3);
      assertThat(sim.stop().exitCode()).isZero();
    }
  }

  @Test
  void aSelfSignedRelayIsNotTrustedWithoutAPinAndTheRunSaysWhy() throws Exception {
    try (CameraRelay relay = tlsOnlyRelay()) {
      Cli.Result r = Cli.run("simulate", "--relay", "127.0.0.1:" + relay.tcpPort(), "--tls", "--seconds", "2");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("could not connect to the relay").contains("not signed by a CA")
          .contains("--tls-fingerprint");
    }
  }

  @Test
  void aWrongFingerprintIsRefusedNamingTheRelaysOne() throws Exception {
    try (CameraRelay relay = tlsOnlyRelay()) {
      String wrong = "00".repeat(32);
      Cli.Result r = Cli.run("simulate", "--relay", "127.0.0.1:" + relay.tcpPort(), "--tls-fingerprint", wrong,
          "--seconds", "2");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains(fingerprint);
    }
  }

  @Test
  void tlsToAPlainRelaySaysTheRelayMayLackAKeystore() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1).build()) {
      relay.start();
      Cli.Result r = Cli.run("simulate", "--relay", "127.0.0.1:" + relay.tcpPort(), "--insecure", "--seconds", "2");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("could not connect to the relay").contains("--tls-keystore");
    }
  }

  @Test
  void aFingerprintThatIsNotSha256IsAUsageError() {
    Cli.Result r = Cli.run("simulate", "--tls-fingerprint", "AB:CD");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'AB:CD' is not a SHA-256 fingerprint");
  }

  @Test
  void bothTrustOptionsAreAUsageError() {
    Cli.Result r = Cli.run("simulate", "--insecure", "--tls-fingerprint", "00".repeat(32));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--tls-fingerprint and --insecure");
  }
}
