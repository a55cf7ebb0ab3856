package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CameraIdentityTest {
  private NatsServers nats;
  private RelayNodes nodes;

  @BeforeEach
  void start() throws Exception {
    nats = NatsServers.single();
    nodes = new RelayNodes(nats, 3);
  }

  @AfterEach
  void stop() {
    nodes.close();
    nats.close();
  }

  @Test
  void theSameIdConnectingOnAnotherNodeReplacesTheOlderConnectionNamingThatNode() throws Exception {
    try (FakeCamera old = FakeCamera.framed(nodes.relay(0).tcpPort(), "door", null, 0)) {
      old.awaitWelcome();
      Await.until("every node shows door from n0", () -> nodes.connectedFrom(1, "door", "n0")
          && nodes.connectedFrom(2, "door", "n0"));
      try (FakeCamera newer = FakeCamera.framed(nodes.relay(1).tcpPort(), "door", null, 0)) {
        newer.awaitWelcome();
        Reason bye = old.awaitClose(MessageType.BYE);
        assertThat(bye.codeName()).isEqualTo("REPLACED");
        assertThat(bye.reason()).contains("node n1");
        Await.until("nodes 0 and 2 show door from n1", () -> nodes.connectedFrom(0, "door", "n1")
            && nodes.connectedFrom(2, "door", "n1"));
        assertThat(nodes.camera(1, "door").orElseThrow().ingest()).isEqualTo("framed");
        assertThat(nodes.camera(1, "door").orElseThrow().node()).isNull();
      }
    }
  }

  @Test
  void aCameraThatMovesToAnotherNodeIsBackForAViewerOnAThirdNode() throws Exception {
    ViewerClient viewer = ViewerClient.connect(nodes.ws(2, "mover"));
    try {
      try (FakeCamera cam = FakeCamera.framed(nodes.relay(0).tcpPort(), "mover", null, 0)) {
        cam.awaitWelcome();
        sendUntilSeen(cam, viewer, 1);
      }
      Await.until("node 2 shows mover offline", () -> !nodes.connected(2, "mover"));
      try (FakeCamera cam = FakeCamera.framed(nodes.relay(1).tcpPort(), "mover", null, 0)) {
        cam.awaitWelcome();
        sendUntilSeen(cam, viewer, 500);
        assertThat(nodes.camera(2, "mover").orElseThrow().node()).isEqualTo("n1");
      }
    } finally {
      viewer.closeBlocking();
    }
  }

  /** Sends frames (numbered from {@code from}) until the viewer got one of them; waits at most 10 s. */
  private static void sendUntilSeen(FakeCamera cam, ViewerClient viewer, int from) throws Exception {
    List<byte[]> sent = new ArrayList<>();
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (int i = from; System.nanoTime() < deadline; i++) {
      byte[] jpeg = TestJpegs.frame(i);
      sent.add(jpeg);
      cam.sendFrame(jpeg);
      byte[] got = viewer.frames.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (got != null && sent.stream().anyMatch(f -> Arrays.equals(f, got))) {
        return;
      }
    }
    throw new AssertionError("the viewer got none of the frames from " + from);
  }
}
