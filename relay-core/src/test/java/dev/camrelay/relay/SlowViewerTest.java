package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.internal.output.websocket.WsViewers;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A viewer that reads slowly or not at all never slows the camera or other viewers, holds at most one frame in
 * flight plus one waiting, keeps getting the newest frame, and is dropped once stuck past the stall timeout.
 */
class SlowViewerTest {
  private static final int FRAMES = 60;
  /** Noise-filled JPEGs of roughly 100-200 KB each: one fills the relay's socket send buffer (32 KiB, doubled by Linux). */
  private static final List<byte[]> BIG = new ArrayList<>();
  private static final Map<ByteBuffer, Integer> INDEX = new HashMap<>();

  private CameraRelay relay;

  @BeforeAll
  static void frames() {
    for (int i = 0; i < FRAMES; i++) {
      byte[] f = TestJpegs.bigFrame(i, 320, 240);
      BIG.add(f);
      INDEX.put(ByteBuffer.wrap(f), i);
    }
  }

  private void start(Duration stallTimeout) throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
        .viewerStallTimeout(stallTimeout).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private WsViewers.ViewerState stateOf(String remoteSuffix) {
    return relay.wsServer().viewerStates().stream().filter(s -> s.remote().endsWith(remoteSuffix))
        .findFirst().orElse(null);
  }

  @Test
  void viewerThatStopsReadingDoesNotDelayOthersAndHoldsAtMostOneWaitingFrame() throws Exception {
    start(Duration.ofSeconds(60));
    try (RawWs stuck = RawWs.open(relay.wsPort(), "/cam/s", Map.of(), 4096)) {
      assertThat(stuck.statusLine).contains("101");
      String stuckPort = ":" + stuck.socket.getLocalPort();
      ViewerClient fast = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/s");
      for (int round = 0; round < 3; round++) {
        for (byte[] frame : BIG) {
          relay.publish("s", frame);
          // The fast viewer gets every frame, each before the next is published.
          assertThat(fast.nextFrame()).isEqualTo(frame);
        }
      }
      WsViewers.ViewerState s = stateOf(stuckPort);
      assertThat(s).isNotNull();
      assertThat(s.pendingFrames()).isLessThanOrEqualTo(2);
      assertThat(s.queuedBuffers()).isLessThanOrEqualTo(2);
      assertThat(s.framesSkipped()).isGreaterThan(3L * FRAMES - 10);
      fast.closeBlocking();
    }
  }

  @Test
  void stuckViewerIsDisconnectedAfterStallTimeoutWhileOthersContinue() throws Exception {
    start(Duration.ofMillis(300));
    try (RawWs stuck = RawWs.open(relay.wsPort(), "/cam/s", Map.of(), 4096)) {
      String stuckPort = ":" + stuck.socket.getLocalPort();
      // Otherwise a slow start would skip the loop below and blame the relay for a viewer it has not yet added.
      Await.until("the stuck viewer is attached", () -> stateOf(stuckPort) != null);
      ViewerClient fast = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/s");
      int i = 0;
      while (stateOf(stuckPort) != null) {
        byte[] frame = BIG.get(i++ % FRAMES);
        relay.publish("s", frame);
        assertThat(fast.nextFrame()).isEqualTo(frame);
        Thread.sleep(5);
        if (i > 100_000) {
          throw new AssertionError("stuck viewer never dropped");
        }
      }
      assertThat(stuck.closedByServer()).isTrue();
      byte[] after = BIG.get(0);
      relay.publish("s", after);
      assertThat(fast.nextFrame()).isEqualTo(after);
      assertThat(fast.isOpen()).isTrue();
      assertThat(relay.wsServer().viewerStates()).hasSize(1);
      fast.closeBlocking();
    }
  }

  @Test
  void slowReaderKeepsGettingTheNewestFrame() throws Exception {
    start(Duration.ofSeconds(60));
    try (RawWs slow = RawWs.open(relay.wsPort(), "/cam/s", Map.of(), 4096)) {
      AtomicInteger published = new AtomicInteger(-1);
      AtomicBoolean done = new AtomicBoolean();
      List<Integer> seen = new ArrayList<>();
      Thread reader = new Thread(() -> {
        try {
          while (true) {
            int index = INDEX.get(ByteBuffer.wrap(slow.readBinary()));
            seen.add(index);
            if (index == FRAMES - 1) {
              break;
            }
            // Read again only after five more frames were published: this viewer is slower than the camera.
            int target = Math.min(FRAMES - 1, published.get() + 5);
            Await.until("five more frames published", () -> published.get() >= target);
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        } finally {
          done.set(true);
        }
      });
      reader.start();
      for (int i = 0; i < FRAMES; i++) {
        relay.publish("s", BIG.get(i));
        published.set(i);
        int expect = i;
        Thread.sleep(2);
        if (done.get() && expect < FRAMES - 1) {
          throw new AssertionError("slow reader stopped early");
        }
      }
      reader.join(20_000);
      assertThat(seen).isNotEmpty();
      assertThat(seen.get(seen.size() - 1)).isEqualTo(FRAMES - 1);
      assertThat(seen).isSorted().doesNotHaveDuplicates();
      assertThat(seen.size()).isLessThan(FRAMES / 2);
    }
  }
}
