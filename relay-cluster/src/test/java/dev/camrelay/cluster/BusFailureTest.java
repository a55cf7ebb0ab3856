package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.hardening.LogCapture;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BusFailureTest {
  private NatsServers nats;
  private RelayNodes nodes;
  private final ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    camera.shutdownNow();
    if (nodes != null) {
      nodes.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  /** Publishes a fresh frame as {@code id} on {@code relay} every 40 ms until the test ends. */
  private void stream(CameraRelay relay, String id) {
    AtomicInteger n = new AtomicInteger();
    byte[][] frames = new byte[8][];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = TestJpegs.frame(i);
    }
    camera.scheduleAtFixedRate(() -> {
      try {
        relay.publish(id, frames[n.getAndIncrement() % frames.length].clone());
      } catch (Exception e) {
        // relay closed at the end of the test
      }
    }, 0, 40, TimeUnit.MILLISECONDS);
  }

  /** Waits until {@code viewer} gets more frames (clearing those it had). */
  private static void awaitFrames(ViewerClient viewer, String what) {
    viewer.frames.clear();
    Await.until(what, Duration.ofSeconds(15), () -> viewer.frames.size() >= 3);
  }

  @Test
  void aNodeThatLeavesTakesItsCamerasOfflineOnTheOtherNodesAndOnlyThose() throws Exception {
    nats = NatsServers.single();
    nodes = new RelayNodes(nats, 3);
    nodes.relay(0).publish("leaving", TestJpegs.frame(1));
    nodes.relay(1).publish("staying", TestJpegs.frame(2));
    Await.until("node 2 shows both", () -> nodes.connectedFrom(2, "leaving", "n0")
        && nodes.connectedFrom(2, "staying", "n1"));
    nodes.node(0).close();
    Await.until("node 2 shows leaving offline", () -> !nodes.connected(2, "leaving"));
    assertThat(nodes.connectedFrom(2, "staying", "n1")).isTrue();
    assertThat(nodes.connected(0, "staying")).isFalse();
    assertThat(nodes.connected(0, "leaving")).as("its own camera stays on the node").isTrue();
  }

  @Test
  void withNatsGoneLocalViewersGoOnRemoteOnesSeeTheCameraOfflineAndBothResumeWhenItReturns() throws Exception {
    nats = NatsServers.single();
    nodes = new RelayNodes(nats, 2);
    stream(nodes.relay(0), "cam");
    Await.until("node 1 shows cam", () -> nodes.connectedFrom(1, "cam", "n0"));
    ViewerClient local = ViewerClient.connect(nodes.ws(0, "cam"));
    ViewerClient remote = ViewerClient.connect(nodes.ws(1, "cam"));
    LogCapture log = LogCapture.keeping(l -> l.contains("lost the NATS connection")
        || l.contains("NATS connection back"));
    try {
      awaitFrames(remote, "the remote viewer gets frames");

      nats.kill(0);
      Await.until("node 0 knows the bus is gone", () -> !nodes.node(0).connected());
      Await.until("node 1 shows cam offline", () -> !nodes.connected(1, "cam"));
      awaitFrames(local, "the local viewer still gets frames");
      assertThat(nodes.connected(0, "cam")).isTrue();

      nats.restart(0);
      Await.until("both nodes reconnected", Duration.ofSeconds(15),
          () -> nodes.node(0).connected() && nodes.node(1).connected());
      Await.until("node 1 shows cam again", Duration.ofSeconds(15), () -> nodes.connectedFrom(1, "cam", "n0"));
      awaitFrames(remote, "the remote viewer gets frames again");
      // One line each way per node: 2 nodes, each lost the bus once and got it back once.
      Await.until("both nodes logged the return", () -> log.linesContaining("NATS connection back").size() == 2);
      assertThat(log.linesContaining("lost the NATS connection")).hasSize(2);
      assertThat(log.lines()).hasSize(4);
    } finally {
      log.close();
      local.closeBlocking();
      remote.closeBlocking();
    }
  }

  @Test
  void whenTheServerANodeUsesIsKilledItFailsOverToAnotherAndRemoteViewersKeepTheCamera() throws Exception {
    nats = NatsServers.cluster(3);
    nodes = new RelayNodes(nats, 2);
    stream(nodes.relay(0), "cam");
    Await.until("node 1 shows cam", () -> nodes.connectedFrom(1, "cam", "n0"));
    ViewerClient remote = ViewerClient.connect(nodes.ws(1, "cam"));
    try {
      awaitFrames(remote, "the remote viewer gets frames");
      String server = nodes.node(0).server();
      int victim = nats.urls().stream().map(Object::toString).toList().indexOf(server);
      assertThat(victim).as("node 0's server %s", server).isNotNegative();

      nats.kill(victim);
      Await.until("node 0 is on another server", Duration.ofSeconds(15),
          () -> nodes.node(0).connected() && !server.equals(nodes.node(0).server()));
      awaitFrames(remote, "the remote viewer gets frames after the failover");
      assertThat(nodes.connectedFrom(1, "cam", "n0")).isTrue();
    } finally {
      remote.closeBlocking();
    }
  }

  @Test
  void aFrameAboveTheServersMaxPayloadIsRefusedForTheBusAndCountedWhileSmallerOnesCross() throws Exception {
    nats = NatsServers.single(64 * 1024);
    nodes = new RelayNodes(nats, 2);
    byte[] small = TestJpegs.frame(1);
    nodes.relay(0).publish("big", small);
    Await.until("node 1 shows big", () -> nodes.connectedFrom(1, "big", "n0"));
    ViewerClient remote = ViewerClient.connect(nodes.ws(1, "big"));
    try {
      assertThat(remote.nextFrame()).isEqualTo(small);
      byte[] huge = TestJpegs.bigFrame(2, 320, 240);
      assertThat(huge.length).isGreaterThan(64 * 1024);
      nodes.relay(0).publish("big", huge);
      Await.until("the refusal is counted",
          () -> nodes.metric(0, "camrelay_cluster_oversize_refusals_total") >= 1);
      byte[] after = TestJpegs.frame(3);
      nodes.relay(0).publish("big", after);
      assertThat(remote.nextFrame()).as("the next frame after the refused one").isEqualTo(after);
    } finally {
      remote.closeBlocking();
    }
  }

  @Test
  void aNodeThatReadsTheBusTooSlowlyDropsFramesThereCountsThemAndStillGetsTheNewest() throws Exception {
    nats = NatsServers.single();
    nodes = new RelayNodes(nats, 2);
    nodes.relay(0).publish("flood", TestJpegs.frame(0));
    Await.until("node 1 shows flood", () -> nodes.connectedFrom(1, "flood", "n0"));
    // An output that blocks (against the contract) stands for a node too busy to read its frames in time.
    java.util.concurrent.BlockingQueue<dev.camrelay.relay.CameraFrame> got =
        new java.util.concurrent.LinkedBlockingQueue<>();
    dev.camrelay.relay.OutputHandle[] handle = new dev.camrelay.relay.OutputHandle[1];
    handle[0] = nodes.relay(1).attachOutput("flood", frame -> {
      got.add(frame);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      handle[0].ready();
    });
    try {
      Await.until("node 1 subscribes", () -> nats.clientSubscriptions(0, "test.frame.").size() == 1);
      byte[] frame = TestJpegs.bigFrame(1, 200, 150);
      for (int i = 0; i < 300; i++) {
        nodes.relay(0).publish("flood", frame.clone());
        Thread.sleep(1); // the origin's newest-wins would otherwise skip most of them before the bus
      }
      Await.until("node 1 counts frames dropped as a slow consumer",
          () -> nodes.metric(1, "camrelay_cluster_slow_consumer_drops_total") > 0);
      byte[] last = TestJpegs.frame(999);
      Await.until("the newest frame arrives after the flood", () -> {
        try {
          nodes.relay(0).publish("flood", last);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        return got.stream().anyMatch(f -> java.util.Arrays.equals(f.jpeg().toByteArray(), last));
      });
    } finally {
      handle[0].close();
    }
  }
}
