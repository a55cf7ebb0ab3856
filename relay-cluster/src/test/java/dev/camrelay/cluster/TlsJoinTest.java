package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.hardening.LogCapture;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes joined through a nats-server that wants TLS, with a certificate signed by a test CA. */
class TlsJoinTest {
  private static final char[] PASSWORD = "trust-pw".toCharArray();
  @TempDir Path dir;
  private NatsServers nats;
  private Path trustStore;

  @BeforeEach
  void start() throws IOException {
    NatsTls tls = NatsTls.create(dir);
    trustStore = tls.trustStore(dir.resolve("ca.p12"), PASSWORD);
    nats = NatsServers.singleWithTls(tls);
  }

  @AfterEach
  void stop() {
    nats.close();
  }

  @Test
  void nodesTrustingTheServersCaJoinOverTlsAndACameraOnOneIsWatchedOnTheOther() throws Exception {
    assertThat(nats.url(0).getScheme()).isEqualTo("tls");
    try (RelayNodes nodes = new RelayNodes(nats, 2, b -> b.tls(true).trustStore(trustStore, PASSWORD))) {
      assertThat(nats.varz(0).get("tls_required").getAsBoolean()).isTrue();
      byte[] frame = TestJpegs.frame(3);
      assertThat(nodes.firstFrameWatchedOn(1, 0, "yard", frame)).isEqualTo(frame);
    }
  }

  @Test
  void aNodeThatDoesNotTrustTheServersCaFailsToJoinSayingSoWithoutThePassword() throws Exception {
    Path otherCa = NatsTls.create(dir.resolve(mkdir("other"))).trustStore(dir.resolve("other.p12"), PASSWORD);
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .nodeName("stranger").build()) {
      relay.start();
      ClusterOptions options = ClusterOptions.builder(List.of(nats.url(0))).tls(true)
          .trustStore(otherCa, PASSWORD).build();
      try (LogCapture log = LogCapture.keeping(l -> l.contains("NATS"))) {
        assertThatThrownBy(() -> ClusterNode.join(relay, options))
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("cannot connect to NATS")
            .hasMessageContaining("the server's certificate is not trusted")
            .hasMessageNotContaining("trust-pw");
        assertThat(log.lines()).as("the error alone says why").isEmpty();
        assertThat(log.stackTraceLines()).isZero();
      }
    }
  }

  @Test
  void aNodeWithoutTlsSettingsFailsToJoinATlsServerSayingTheServerRequiresIt() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .nodeName("plain").build()) {
      relay.start();
      URI plain = URI.create("nats://127.0.0.1:" + nats.clientPort(0));
      try (LogCapture log = LogCapture.keeping(l -> l.contains("NATS"))) {
        assertThatThrownBy(() -> ClusterNode.join(relay, ClusterOptions.builder(List.of(plain)).build()))
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("cannot connect to NATS")
            .hasMessageContaining("SSL required by server");
        assertThat(log.lines()).as("the error alone says why").isEmpty();
      }
    }
  }

  private String mkdir(String name) throws IOException {
    java.nio.file.Files.createDirectories(dir.resolve(name));
    return name;
  }
}
