package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection limits, the camera idle timeout, and listeners that cannot stall delivery. */
class LimitsTest {
  private CameraRelay relay;

  private void start(CameraRelay.Builder b) throws Exception {
    relay = b.bind("127.0.0.1").httpPort(-1).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  /** Whether the relay closes {@code s} without sending anything (false if it is still open after 10 s). */
  private static boolean closedAtOnce(Socket s) throws Exception {
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    try {
      return in.read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void tcpConnectionsBeyondThePerAddressLimitAreClosed() throws Exception {
    start(CameraRelay.builder().tcpPort(0).wsPort(-1).maxConnectionsPerIp(2)
        .handshakeTimeout(Duration.ofSeconds(30)));
    List<FakeCamera> held = new ArrayList<>();
    held.add(FakeCamera.framed(relay.tcpPort(), "a", null, 0));
    held.add(FakeCamera.framed(relay.tcpPort(), "b", null, 0));
    for (FakeCamera c : held) {
      c.awaitWelcome();
    }
    try (Socket third = new Socket("127.0.0.1", relay.tcpPort())) {
      assertThat(closedAtOnce(third)).isTrue();
    }
    held.get(0).close();
    Await.until("the slot is released", () -> relay.cameras().stream()
        .noneMatch(c -> c.id().equals("a") && c.connected()));
    try (FakeCamera again = FakeCamera.framed(relay.tcpPort(), "c", null, 0)) {
      again.awaitWelcome();
    }
    held.get(1).close();
  }

  @Test
  void webSocketConnectionsBeyondTheTotalLimitAreRefused() throws Exception {
    start(CameraRelay.builder().tcpPort(-1).wsPort(0).maxConnections(2));
    ViewerClient a = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/");
    ViewerClient b = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/");
    assertThat(a.isOpen()).isTrue();
    assertThat(b.isOpen()).isTrue();
    ViewerClient c = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/");
    assertThat(c.isOpen()).isFalse();
    a.closeBlocking();
    ViewerClient d = Await.value("a slot frees up", () -> {
      try {
        return ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }, ViewerClient::isOpen);
    assertThat(d.isOpen()).isTrue();
    b.closeBlocking();
    d.closeBlocking();
  }

  @Test
  void silentFramedCameraIsDroppedAfterTheIdleTimeout() throws Exception {
    start(CameraRelay.builder().tcpPort(0).wsPort(-1).cameraIdleTimeout(Duration.ofMillis(300)));
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "quiet", null, 0).ignorePings()) {
      cam.awaitWelcome();
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(5);
      assertThat(r.reason()).isEqualTo("nothing received for 300 ms");
      Await.until("the camera shows disconnected", () -> relay.cameras().stream()
          .anyMatch(c -> c.id().equals("quiet") && !c.connected()));
    }
  }

  @Test
  void aCameraOpeningAConnectionPerFrameStaysConnectedWhileFramesComeAndIsDroppedAnIdleTimeoutAfterTheLast()
      throws Exception {
    start(CameraRelay.builder().tcpPort(0).wsPort(-1).cameraIdleTimeout(Duration.ofMillis(1000)));
    List<String> disconnects = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicLong disconnectedAt = new java.util.concurrent.atomic.AtomicLong();
    relay.onCameraEvent(new CameraListener() {
      @Override
      public void onConnected(CameraStats camera) {}

      @Override
      public void onDisconnected(String cameraId, String reason) {
        disconnectedAt.set(System.nanoTime());
        disconnects.add(reason);
      }
    });
    // Frames for 2.5 idle timeouts, one every 100 ms: the idle check must re-arm, never expire a live camera.
    long lastFrame = 0;
    for (int i = 0; i < 25; i++) {
      FakeCamera.sendOnePerConnection(relay.tcpPort(), TestJpegs.frame(i));
      lastFrame = System.nanoTime();
      Thread.sleep(100);
    }
    assertThat(disconnects).as("disconnected while frames kept coming").isEmpty();
    long last = lastFrame;
    Await.until("the camera is dropped after the idle timeout", () -> !disconnects.isEmpty());
    assertThat(disconnects).containsExactly("no new frame for 1000 ms");
    assertThat(TimeUnit.NANOSECONDS.toMillis(disconnectedAt.get() - last)).isGreaterThanOrEqualTo(990);
  }

  @Test
  void blockedFrameListenerNeverStallsViewers() throws Exception {
    start(CameraRelay.builder().tcpPort(-1).wsPort(0));
    CountDownLatch release = new CountDownLatch(1);
    relay.onFrame((id, frame) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/l");
    for (int i = 0; i < 200; i++) {
      byte[] jpeg = TestJpegs.frame(i);
      relay.publish("l", jpeg);
      assertThat(viewer.nextFrame()).isEqualTo(jpeg);
    }
    release.countDown();
    viewer.closeBlocking();
  }
}
