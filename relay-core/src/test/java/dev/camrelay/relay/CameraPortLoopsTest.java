package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.CollectingOutput;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import io.netty.channel.epoll.Epoll;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The camera port on Netty's native loops (Linux): every loop listens on the port itself and publishes the frames of
 * the connections it accepted, so a camera that opens a connection per frame costs no hand-over between threads.
 * Where the native transport does not run (macOS, Windows, other CPUs) an accept thread hands each connection to the
 * portable I/O loops: this class runs a second time in a JVM of its own with Netty's
 * {@code -Dio.netty.transport.noNative=true} (the {@code portable-transport} execution in relay-core's pom), since
 * Netty decides once per JVM.
 */
class CameraPortLoopsTest {
  private CameraRelay relay;
  private final List<byte[]> frames = new CopyOnWriteArrayList<>();
  private final Set<String> publishingThreads = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1).build();
    relay.start();
    relay.attachOutput("default", new CollectingOutput(frames, publishingThreads));
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  /** Sends {@code n} JPEGs, a connection each, waiting for each to arrive; returns what was sent. */
  private List<byte[]> sendOnePerConnection(int n) throws Exception {
    List<byte[]> sent = new CopyOnWriteArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] jpeg = TestJpegs.frame(i);
      FakeCamera.sendOnePerConnection(relay.tcpPort(), jpeg);
      sent.add(jpeg);
      int expected = i + 1;
      Await.until("frame " + i + " published", () -> frames.size() >= expected);
    }
    return sent;
  }

  @Test
  void framesFromAConnectionPerFrameArePublishedByTheLoopsThatAcceptedThemSpreadOverThem() throws Exception {
    assumeThat(Epoll.isAvailable()).as("Netty's native transport runs here").isTrue();
    List<byte[]> sent = sendOnePerConnection(40);

    assertThat(frames).containsExactlyElementsOf(sent);
    // No accept thread between: the kernel spreads connections over the loops' own listening sockets.
    assertThat(publishingThreads).allMatch(name -> name.startsWith("camrelay-camera-"));
    if (Runtime.getRuntime().availableProcessors() > 1) {
      assertThat(publishingThreads).as("40 connections over two or more loops").hasSizeGreaterThan(1);
    }
  }

  @Test
  void withoutTheNativeTransportFramesFromAConnectionPerFrameArePublishedWholeAndInOrderByThePortableLoops()
      throws Exception {
    assumeThat(Boolean.getBoolean("io.netty.transport.noNative"))
        .as("only in the JVM started with -Dio.netty.transport.noNative=true").isTrue();
    assertThat(Epoll.isAvailable()).as("Netty's native transport is off").isFalse();
    List<byte[]> sent = sendOnePerConnection(20);

    assertThat(frames).containsExactlyElementsOf(sent);
    assertThat(publishingThreads).allMatch(name -> name.startsWith("camrelay-io-"));
  }

  @Test
  void aFramedCameraStreamsItsFramesOnOneConnection() throws Exception {
    List<byte[]> sent = new CopyOnWriteArrayList<>();
    try (FakeCamera camera = FakeCamera.framed(relay.tcpPort(), "default", null, 0)) {
      for (int i = 0; i < 10; i++) {
        byte[] jpeg = TestJpegs.frame(100 + i);
        camera.sendFrame(jpeg);
        sent.add(jpeg);
      }
      Await.until("10 frames published", () -> frames.size() >= 10);
    }

    assertThat(frames).containsExactlyElementsOf(sent);
  }

  @Test
  void aSecondRelayOnARunningRelaysCameraPortIsRefusedAndTakesNoneOfItsCameras() throws Exception {
    int port = relay.tcpPort();
    CameraRelay second = CameraRelay.builder().bind("127.0.0.1").tcpPort(port).wsPort(-1).httpPort(-1).build();
    List<byte[]> secondFrames = new CopyOnWriteArrayList<>();
    second.attachOutput("default", new CollectingOutput(secondFrames));
    try {
      assertThatThrownBy(second::start)
          .isInstanceOf(PortBindException.class)
          .hasMessage("TCP ingest port " + port + " is already in use");

      List<byte[]> sent = sendOnePerConnection(20);
      assertThat(frames).containsExactlyElementsOf(sent);
      assertThat(secondFrames).isEmpty();
    } finally {
      second.close();
    }
  }
}
