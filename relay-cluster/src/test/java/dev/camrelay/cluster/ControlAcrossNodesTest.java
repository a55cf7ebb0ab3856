package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlAcrossNodesTest {
  private NatsServers nats;
  private RelayNodes nodes;

  @BeforeEach
  void start() throws Exception {
    nats = NatsServers.single();
    nodes = new RelayNodes(nats, 2);
  }

  @AfterEach
  void stop() {
    nodes.close();
    nats.close();
  }

  @Test
  void aViewerOnAnotherNodeSendsAControlCommandAndGetsTheCamerasReply() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(nodes.relay(0).tcpPort(), "cam", null, Hello.CONTROL)
        .answerControl(cmd -> "{\"ok\":true,\"quality\":12}")) {
      cam.awaitWelcome();
      Await.until("node 1 shows cam with control", () -> nodes.camera(1, "cam")
          .map(c -> c.connected() && c.control() && "n0".equals(c.node())).orElse(false));
      ViewerClient v = ViewerClient.connect(nodes.ws(1, "cam"), "camrelay.v1");
      try {
        assertThat(v.nextText()).contains("\"type\":\"hello\"").contains("\"control\":true");
        v.send("{\"type\":\"control\",\"id\":7,\"command\":{\"cmd\":\"quality\",\"value\":12}}");
        Control received = cam.awaitControl();
        assertThat(received.json()).isEqualTo("{\"cmd\":\"quality\",\"value\":12}");
        assertThat(v.nextTextContaining("control-reply")).isEqualTo(
            "{\"type\":\"control-reply\",\"id\":7,\"ok\":true,\"reply\":{\"ok\":true,\"quality\":12}}");
      } finally {
        v.closeBlocking();
      }
    }
  }

  @Test
  void aCameraThatTakesNoControlOnItsNodeRefusesControlFromAnotherNodeWithAReason() throws Exception {
    nodes.relay(0).publish("mute", TestJpegs.frame(1)); // an in-process source: takes no control commands
    Await.until("node 1 shows mute", () -> nodes.connectedFrom(1, "mute", "n0"));
    assertThat(nodes.camera(1, "mute").orElseThrow().control()).isFalse();
    assertThatThrownBy(() -> nodes.relay(1).control("mute", "{\"cmd\":\"led\"}").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("control");
  }

  @Test
  void anOnDemandCameraOnOneNodeStreamsWhileAnotherNodeHasAViewerAndStopsAfter() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(nodes.relay(0).tcpPort(), "lazy", null, Hello.ON_DEMAND | Hello.CONTROL)) {
      assertThat(cam.awaitWelcome().stream()).isFalse();
      Await.until("node 1 shows lazy", () -> nodes.connectedFrom(1, "lazy", "n0"));
      ViewerClient v = ViewerClient.connect(nodes.ws(1, "lazy"));
      assertThat(cam.awaitControl().json()).isEqualTo("{\"cmd\":\"stream\",\"on\":true}");
      byte[] jpeg = TestJpegs.frame(3);
      cam.sendFrame(jpeg);
      assertThat(v.nextFrame()).isEqualTo(jpeg);
      v.closeBlocking();
      assertThat(cam.awaitControl().json()).isEqualTo("{\"cmd\":\"stream\",\"on\":false}");
    }
  }
}
