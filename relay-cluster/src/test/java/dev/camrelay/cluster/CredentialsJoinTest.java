package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes joined through a nats-server in operator mode, each with a user's {@code .creds} file. */
class CredentialsJoinTest {
  @TempDir Path dir;
  private NatsCredentials credentials;
  private NatsServers nats;
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    credentials = NatsCredentials.create();
    nats = NatsServers.singleWithOperator(credentials);
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).nodeName("outsider").build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
    nats.close();
  }

  @Test
  void nodesWithCredsFilesOfTheAccountJoinAndACameraOnOneIsWatchedOnTheOther() throws Exception {
    Path creds = credentials.userCreds(dir.resolve("relay.creds"), "relay");
    try (RelayNodes nodes = new RelayNodes(nats, 2, b -> b.credentialsFile(creds))) {
      byte[] frame = TestJpegs.frame(5);
      assertThat(nodes.firstFrameWatchedOn(1, 0, "barn", frame)).isEqualTo(frame);
    }
  }

  @Test
  void aUserOfAnAccountTheServerDoesNotKnowIsRefusedWithoutShowingTheSeed() throws Exception {
    Path stranger = NatsCredentials.create().userCreds(dir.resolve("stranger.creds"), "stranger");
    String seed = Files.readAllLines(stranger).stream().filter(l -> l.startsWith("SU")).findFirst().orElseThrow();
    assertThatThrownBy(() -> ClusterNode.join(relay, options(stranger)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to NATS")
        .hasMessageContaining("Authorization Violation")
        .hasMessageNotContaining(seed);
  }

  @Test
  void aCredsFileWithoutAJwtAndSeedFailsTheJoinNamingTheFile() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.creds"), "this is not a creds file\n");
    assertThatThrownBy(() -> ClusterNode.join(relay, options(broken)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(broken.toString());
  }

  @Test
  void aMissingCredsFileFailsTheJoinNamingTheFile() {
    Path missing = dir.resolve("missing.creds");
    assertThatThrownBy(() -> ClusterNode.join(relay, options(missing)))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot read the NATS credentials file " + missing);
  }

  private ClusterOptions options(Path creds) {
    return ClusterOptions.builder(List.of(nats.url(0))).nodeName("outsider").credentialsFile(creds).build();
  }
}
