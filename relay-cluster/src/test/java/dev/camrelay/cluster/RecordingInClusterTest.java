package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import io.micrometer.core.instrument.FunctionCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every node records (its own folder): each camera is recorded once, on the node it is connected to. */
class RecordingInClusterTest {
  @TempDir Path dir;
  private NatsServers nats;
  private RelayNodes nodes;
  private final ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws Exception {
    nats = NatsServers.single();
    nodes = new RelayNodes(nats, 2, (i, relay) -> relay.recordDir(dir.resolve("n" + i)), UnaryOperator.identity());
  }

  @AfterEach
  void stop() {
    camera.shutdownNow();
    nodes.close();
    nats.close();
  }

  @Test
  void aCameraIsRecordedOnlyOnItsNodeEvenWhileAnotherNodeHasAViewer() throws Exception {
    stream(nodes.relay(0), "shed");
    Await.until("node 1 shows shed from n0", () -> nodes.connectedFrom(1, "shed", "n0"));
    ViewerClient remote = ViewerClient.connect(nodes.ws(1, "shed"));
    try {
      Await.until("the remote viewer gets frames", Duration.ofSeconds(15), () -> remote.frames.size() >= 5);
      Await.until("node 0 records shed", Duration.ofSeconds(15), () -> recorded(0) >= 5);
      // Frames kept reaching node 1 all along; more of them, and still none recorded there.
      double later = recorded(0) + 5;
      Await.until("node 0 records more", Duration.ofSeconds(15), () -> recorded(0) >= later);
      assertThat(recorded(1)).isZero();
      assertThat(Files.exists(dir.resolve("n1").resolve("shed"))).isFalse();
      try (var files = Files.list(dir.resolve("n0").resolve("shed"))) {
        assertThat(files.filter(f -> f.toString().endsWith(".avi"))).isNotEmpty();
      }
    } finally {
      remote.closeBlocking();
    }
  }

  @Test
  void aRecordingNodePullsNoRemoteCameraAcrossTheBus() throws Exception {
    stream(nodes.relay(0), "shed");
    Await.until("node 1 shows shed from n0", () -> nodes.connectedFrom(1, "shed", "n0"));
    Await.until("node 0 records shed", Duration.ofSeconds(15), () -> recorded(0) >= 5);
    // Heartbeats pass, so a demand from node 1's recorder would have shown as a frame subscription.
    long heartbeat = System.nanoTime() + RelayNodes.NODE_TIMEOUT.toNanos();
    Await.until("a node timeout passed", () -> System.nanoTime() > heartbeat);
    assertThat(nats.clientSubscriptions(0, "test.frame.")).isEmpty();
    assertThat(recorded(1)).isZero();
  }

  @Test
  void aCameraThatMovesToAnotherNodeIsRecordedThereFromThenOnAndNoLongerPulledByItsOldNode() throws Exception {
    try (FakeCamera first = FakeCamera.framed(nodes.relay(0).tcpPort(), "shed", null, 0)) {
      first.awaitWelcome();
      ScheduledFuture<?> sending = send(first);
      Await.until("node 0 records shed", Duration.ofSeconds(15), () -> recorded(0) >= 3);
      sending.cancel(false);
      try (FakeCamera moved = FakeCamera.framed(nodes.relay(1).tcpPort(), "shed", null, 0)) {
        moved.awaitWelcome();
        send(moved);
        Await.until("node 0 shows shed from n1", Duration.ofSeconds(15),
            () -> nodes.connectedFrom(0, "shed", "n1"));
        Await.until("node 1 records shed", Duration.ofSeconds(15), () -> recorded(1) >= 3);
        long heartbeat = System.nanoTime() + RelayNodes.NODE_TIMEOUT.toNanos();
        Await.until("a node timeout passed", () -> System.nanoTime() > heartbeat);
        assertThat(nats.clientSubscriptions(0, "test.frame.")).as("node 0's recorder left shed").isEmpty();
      }
    }
  }

  /** Sends a fresh frame from {@code cam} every 40 ms until cancelled or the test ends. */
  private ScheduledFuture<?> send(FakeCamera cam) {
    AtomicInteger n = new AtomicInteger();
    return camera.scheduleAtFixedRate(() -> {
      try {
        cam.sendFrame(TestJpegs.frame(n.getAndIncrement() % 8));
      } catch (Exception e) {
        // the connection was replaced or closed
      }
    }, 0, 40, TimeUnit.MILLISECONDS);
  }

  /** Frames node {@code i}'s recorder wrote. */
  private double recorded(int i) {
    FunctionCounter c = nodes.relay(i).meterRegistry().find("camrelay.record.frames").functionCounter();
    return c == null ? 0 : c.count();
  }

  /** Publishes a fresh frame as {@code id} on {@code relay} every 40 ms until the test ends. */
  private void stream(CameraRelay relay, String id) {
    AtomicInteger n = new AtomicInteger();
    camera.scheduleAtFixedRate(() -> {
      try {
        relay.publish(id, TestJpegs.frame(n.getAndIncrement() % 8));
      } catch (Exception e) {
        // relay closed at the end of the test
      }
    }, 0, 40, TimeUnit.MILLISECONDS);
  }
}
