package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.MjpegStreamClient;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteViewingTest {
  private NatsServers nats;
  private RelayNodes nodes;

  @BeforeEach
  void start() throws Exception {
    nats = NatsServers.single();
    nodes = new RelayNodes(nats, 2);
  }

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
    nats.close();
  }

  @Test
  void aCameraOnOneNodeIsWatchedFromAnotherByteForByteOnWebSocketMjpegAndSnapshot() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(nodes.relay(0).tcpPort(), "garage", null, 0)) {
      cam.awaitWelcome();
      Await.until("node 1 shows garage from n0", () -> nodes.connectedFrom(1, "garage", "n0"));
      ViewerClient ws = ViewerClient.connect(nodes.ws(1, "garage"));
      try (MjpegStreamClient mjpeg = MjpegStreamClient.open(nodes.relay(1).httpPort(), "garage", 1 << 20)) {
        List<byte[]> sent = new ArrayList<>();
        // Frames keep coming until both viewers are served: the subscription starts asynchronously.
        byte[] first = null;
        for (int i = 1; first == null && i < 200; i++) {
          byte[] jpeg = TestJpegs.frame(i);
          sent.add(jpeg);
          cam.sendFrame(jpeg);
          first = ws.frames.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        byte[] got = first;
        assertThat(got).as("a frame reached the remote WebSocket viewer").isNotNull();
        assertThat(sent).anySatisfy(s -> assertThat(s).isEqualTo(got));
        byte[] last = TestJpegs.frame(1000);
        cam.sendFrame(last);
        Await.until("the WebSocket viewer got the last frame", () -> ws.frames.stream()
            .anyMatch(f -> java.util.Arrays.equals(f, last)));
        byte[] part;
        do {
          part = mjpeg.nextPart(Duration.ofSeconds(10));
        } while (!java.util.Arrays.equals(part, last));
        HttpResponse<byte[]> snapshot = nodes.get(1, "/cam/garage/snapshot.jpg");
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.body()).isEqualTo(last);
      } finally {
        ws.closeBlocking();
      }
    }
  }

  @Test
  void aRemoteViewerGetsTheLatestFrameAtOnceWithoutWaitingForTheNext() throws Exception {
    byte[] only = TestJpegs.frame(7);
    nodes.relay(0).publish("porch", only);
    Await.until("node 1 shows porch", () -> nodes.connectedFrom(1, "porch", "n0"));
    ViewerClient ws = ViewerClient.connect(nodes.ws(1, "porch"));
    try {
      assertThat(ws.nextFrame()).isEqualTo(only);
    } finally {
      ws.closeBlocking();
    }
  }

  @Test
  void apiCamerasOnEveryNodeNamesTheNodeEachCameraIsConnectedTo() throws Exception {
    nodes.relay(0).publish("a", TestJpegs.frame(1));
    nodes.relay(1).publish("b", TestJpegs.frame(2));
    for (int i = 0; i < 2; i++) {
      int node = i;
      Await.until("node " + i + " lists a on n0 and b on n1", () ->
          nodes.listed(node, "a").map(c -> c.get("node").getAsString().equals("n0")
              && c.get("connected").getAsBoolean()).orElse(false)
          && nodes.listed(node, "b").map(c -> c.get("node").getAsString().equals("n1")
              && c.get("connected").getAsBoolean()).orElse(false));
    }
  }

  @Test
  void anUnwatchedCameraPutsNoFramesOnTheBusAndNoNodeSubscribesToIt() throws Exception {
    nodes.relay(0).publish("idle", TestJpegs.frame(0));
    Await.until("node 1 shows idle", () -> nodes.connectedFrom(1, "idle", "n0"));
    long before = nats.inBytes(0);
    int frames = 40;
    int bytes = 0;
    for (int i = 1; i <= frames; i++) {
      byte[] jpeg = TestJpegs.bigFrame(i, 160, 120);
      bytes += jpeg.length;
      nodes.relay(0).publish("idle", jpeg);
    }
    // Let heartbeats pass so a frame subscription or bus frame would have shown.
    long heartbeat = System.nanoTime() + RelayNodes.NODE_TIMEOUT.toNanos();
    Await.until("a node timeout passed", () -> System.nanoTime() > heartbeat);
    assertThat(nats.clientSubscriptions(0, "test.frame.")).isEmpty();
    assertThat(nats.inBytes(0) - before).as("bytes into NATS vs %d of frames", bytes).isLessThan(bytes / 4);
  }

  @Test
  void aFrameCrossesTheBusOncePerInterestedNodeHoweverManyViewersEachHas() throws Exception {
    nodes.close();
    nodes = new RelayNodes(nats, 3);
    byte[] seed = TestJpegs.bigFrame(0, 200, 150);
    nodes.relay(0).publish("yard", seed);
    Await.until("nodes 1 and 2 show yard", () -> nodes.connectedFrom(1, "yard", "n0")
        && nodes.connectedFrom(2, "yard", "n0"));
    List<ViewerClient> viewers = new ArrayList<>();
    try {
      for (int v = 0; v < 10; v++) {
        viewers.add(ViewerClient.connect(nodes.ws(1 + v % 2, "yard")));
      }
      for (ViewerClient v : viewers) {
        assertThat(v.nextFrame()).isEqualTo(seed);
      }
      Await.until("both nodes subscribe", () -> nats.clientSubscriptions(0, "test.frame.").size() == 2);
      long inBefore = nats.inBytes(0);
      long outBefore = nats.outBytes(0);
      int frames = 30;
      long bytes = 0;
      byte[] last = null;
      for (int i = 1; i <= frames; i++) {
        last = TestJpegs.bigFrame(i, 200, 150);
        bytes += last.length;
        nodes.relay(0).publish("yard", last);
        Thread.sleep(20); // a camera's pace, so few frames are skipped
      }
      byte[] expected = last;
      for (ViewerClient v : viewers) {
        Await.until("every viewer got the last frame", () -> v.frames.stream()
            .anyMatch(f -> java.util.Arrays.equals(f, expected)));
      }
      long in = nats.inBytes(0) - inBefore;
      long out = nats.outBytes(0) - outBefore;
      // Presence and demand messages are small beside 30 frames of ~20 KB: once in, twice out (two nodes).
      assertThat(in).as("bytes into NATS for %d frame bytes", bytes).isBetween(bytes / 2, bytes + bytes / 4);
      assertThat(out).as("bytes out of NATS for %d frame bytes", bytes).isBetween(bytes, 2 * bytes + bytes / 4);
    } finally {
      for (ViewerClient v : viewers) {
        v.closeBlocking();
      }
    }
  }

  @Test
  void eachNodesMetricsShowBusBytesRemoteViewersDemandAndDrops() throws Exception {
    nodes.relay(0).publish("meter", TestJpegs.frame(1));
    Await.until("node 1 shows meter", () -> nodes.connectedFrom(1, "meter", "n0"));
    ViewerClient ws = ViewerClient.connect(nodes.ws(1, "meter"));
    try {
      assertThat(ws.nextFrame()).isNotEmpty();
      Await.until("node 1 counts one remote viewer and one subscription", () ->
          metric(1, "camrelay_cluster_remote_viewers") == 1 && metric(1, "camrelay_cluster_demand_subscriptions") == 1);
      Await.until("node 0 sends meter on the bus", () -> metric(0, "camrelay_cluster_exported_cameras") == 1);
      assertThat(metric(1, "camrelay_cluster_bus_received_bytes_total")).isPositive();
      assertThat(metric(0, "camrelay_cluster_bus_sent_bytes_total")).isPositive();
      assertThat(metric(1, "camrelay_cluster_slow_consumer_drops_total")).isZero();
      assertThat(metric(0, "camrelay_cluster_oversize_refusals_total")).isZero();
      assertThat(metric(1, "camrelay_cluster_nodes")).isEqualTo(1);
    } finally {
      ws.closeBlocking();
    }
    Await.until("node 1 unsubscribes when its viewer leaves", () ->
        metric(1, "camrelay_cluster_demand_subscriptions") == 0);
    Await.until("no node subscribes to meter's frames any more", () ->
        nats.clientSubscriptions(0, "test.frame.").isEmpty());
    Await.until("node 0 stops sending", () -> metric(0, "camrelay_cluster_exported_cameras") == 0);
  }

  private double metric(int node, String name) {
    try {
      return nodes.metric(node, name + "{node=\"n" + node + "\"}");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
