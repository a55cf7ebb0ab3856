package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.hardening.LogCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinTest {
  private static final String TOKEN = "s3cret-cluster-token";
  @TempDir Path dir;
  private CameraRelay relay;
  private NatsServers nats;

  /** A NATS server wanting {@code token}, closed after the test. */
  private URI nats0(String token) throws IOException {
    nats = NatsServers.singleWithToken(token);
    return nats.url(0);
  }

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).nodeName("solo").build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void aRelayJoinsWithTheTokenFromATokenFileNamedAsTheRelayIs() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    ClusterOptions options = ClusterOptions.builder(List.of(nats0(TOKEN))).tokenFile(tokenFile).build();
    assertThat(options.nodeName()).isNull();
    try (ClusterNode node = ClusterNode.join(relay, options)) {
      assertThat(node.connected()).isTrue();
      assertThat(node.nodeName()).isEqualTo("solo");
      assertThat(node.server()).isEqualTo(nats.url(0).toString());
    }
  }

  @Test
  void optionsRefuseANodeNameThatCannotBeASubjectTokenAndATooShortNodeTimeout() {
    URI server = URI.create("nats://127.0.0.1:4222");
    assertThatThrownBy(() -> options(server).nodeName("a.b").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node name");
    assertThatThrownBy(() -> options(server).nodeTimeout(java.time.Duration.ofMillis(10)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node timeout");
  }

  @Test
  void aWrongTokenFailsTheJoinWithoutShowingTheToken() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "wrong-token-123");
    try (NatsServers nats = NatsServers.singleWithToken(TOKEN)) {
      assertThatThrownBy(() -> ClusterNode.join(relay, options(nats.url(0)).tokenFile(tokenFile).build()))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot connect to NATS")
          .hasMessageNotContaining("wrong-token-123")
          .hasMessageNotContaining(TOKEN);
    }
  }

  @Test
  void noReachableServerFailsTheJoin() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(() -> ClusterNode.join(relay, options(URI.create("nats://127.0.0.1:" + closedPort)).build()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to NATS");
  }

  @Test
  void aJoinThatFailsLogsNoLostConnectionLineNorAStackTraceTheErrorAloneSaysWhy() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "wrong-token-123");
    URI server = nats0(TOKEN);
    try (LogCapture log = LogCapture.keeping(l -> l.contains("cluster") || l.contains("NATS"))) {
      assertThatThrownBy(() -> ClusterNode.join(relay, options(server).tokenFile(tokenFile).build()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Authorization Violation");
      assertThat(log.lines()).noneMatch(l -> l.contains("lost the NATS connection"));
      assertThat(log.stackTraceLines()).isZero();
    }
  }

  private static ClusterOptions.Builder options(URI server) {
    return ClusterOptions.builder(List.of(server)).clusterName("join").nodeName("solo");
  }
}
