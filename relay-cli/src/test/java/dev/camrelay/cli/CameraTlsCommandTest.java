package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-keystore} and {@code --require-camera-tls} on the camera port, as a user starts the relay. */
@Timeout(90)
class CameraTlsCommandTest {
  private static final String PASSWORD = "s3cret-ks";

  @TempDir Path dir;

  @Test
  void demoWithCameraTlsRequiredStreamsOverTlsAndTheBannerShowsOnlyTheTlsAddress() throws Exception {
    Path p12 = TestKeystore.generate(dir, PASSWORD);
    try (Cli.Running cmd = Cli.start(Map.of("CAMRELAY_TLS_PASSWORD", PASSWORD), "--demo", "--tcp-port", "0",
        "--ws-port", "0", "--http-port", "0", "--tls-keystore", p12.toString(), "--require-camera-tls")) {
      int port = cmd.relay().tcpPort();
      Await.until("the demo camera connects over TLS", () -> cmd.relay().camera("default")
          .map(c -> c.connected() && c.framesIn() > 0).orElse(false));
      assertThat(cmd.out()).contains("tls://localhost:" + port).contains("plain TCP is refused")
          .contains("certificate SHA-256").doesNotContain("tcp://");
      assertThat(cmd.stop().exitCode()).isZero();
    }
  }

  @Test
  void requireCameraTlsWithoutAKeystoreIsAUsageError() {
    Cli.Result r = Cli.run("--require-camera-tls");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--require-camera-tls needs --tls-keystore");
  }
}
