package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up banner tells the truth about what is encrypted. */
class StartupBannerTest {
  private static String banner(CameraRelay relay, boolean tls) {
    StringWriter out = new StringWriter();
    new StartupBanner(relay, "127.0.0.1", tls, false, "default", List.of(), false).print(new PrintWriter(out, true));
    return out.toString();
  }

  @Test
  void withTlsTheCameraPortIsSaidToBePlainTcp() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).build()) {
      relay.start();
      assertThat(banner(relay, true)).contains("https://").contains("wss://")
          .contains("tcp://localhost:" + relay.tcpPort()).contains("plain TCP, not TLS");
      assertThat(banner(relay, false)).doesNotContain("not TLS");
    }
  }

  @Test
  void theRtspUrlOfTheDefaultCameraIsShownWhenTheRtspPortIsOpen() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .build()) {
      relay.start();
      assertThat(banner(relay, false)).contains("RTSP       rtsp://localhost:" + relay.rtspPort() + "/default");
    }
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0).build()) {
      relay.start();
      assertThat(banner(relay, false)).doesNotContain("rtsp://");
    }
  }
}
