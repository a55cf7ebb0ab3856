package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.simulate.CameraTls;
import dev.camrelay.relay.CameraRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up banner tells the truth about what is encrypted. */
class StartupBannerTest {
  private static final String PASSWORD = "s3cret-ks";

  @TempDir Path dir;

  private static String banner(CameraRelay relay, TlsOptions tls) {
    StringWriter out = new StringWriter();
    new StartupBanner(relay, "127.0.0.1", tls, false, "default", List.of(), false).print(new PrintWriter(out, true));
    return out.toString();
  }

  private TlsOptions tls(boolean requireCameraTls) throws Exception {
    TlsOptions tls = new TlsOptions();
    tls.tlsKeystore = TestKeystore.generate(dir, PASSWORD);
    tls.tlsPassword = PASSWORD;
    tls.requireCameraTls = requireCameraTls;
    return tls;
  }

  @Test
  void withTlsTheCameraPortShowsTlsWithTheCertificateFingerprintAndPlainTcpAsTheInClearOption() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).build()) {
      relay.start();
      TlsOptions tls = tls(false);
      String fingerprint = CameraTls.fingerprint(TestKeystore.certificate(tls.tlsKeystore, PASSWORD));
      assertThat(banner(relay, tls)).contains("https://").contains("wss://")
          .contains("tls://localhost:" + relay.tcpPort() + "  (raw JPEG or framed protocol over TLS)")
          .contains("certificate SHA-256 " + fingerprint)
          .contains("tcp://localhost:" + relay.tcpPort()).contains("camera tokens cross the network in clear");
    }
  }

  @Test
  void withCameraTlsRequiredNoPlainCameraAddressIsShown() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).build()) {
      relay.start();
      assertThat(banner(relay, tls(true))).contains("tls://localhost:" + relay.tcpPort())
          .contains("plain TCP is refused").doesNotContain("tcp://").doesNotContain("in clear");
    }
  }

  @Test
  void withoutTlsTheCameraPortIsPlainTcpWithoutWarnings() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).build()) {
      relay.start();
      assertThat(banner(relay, new TlsOptions())).contains("tcp://localhost:" + relay.tcpPort())
          .doesNotContain("tls://").doesNotContain("in clear").doesNotContain("SHA-256");
    }
  }

  @Test
  void theRtspUrlOfTheDefaultCameraIsShownWhenTheRtspPortIsOpen() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .build()) {
      relay.start();
      assertThat(banner(relay, new TlsOptions())).contains("RTSP       rtsp://localhost:" + relay.rtspPort() + "/default");
    }
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0).build()) {
      relay.start();
      assertThat(banner(relay, new TlsOptions())).doesNotContain("rtsp://");
    }
  }
}
