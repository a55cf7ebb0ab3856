package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.CollectingOutput;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import io.netty.channel.epoll.Epoll;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The camera port where Netty's native transport does not run (macOS, Windows, other CPUs; here forced with Netty's
 * own {@code -Dio.netty.transport.noNative=true}): an accept thread hands each connection to the portable I/O loops,
 * and cameras are served as on Linux. Runs in its own JVM (the {@code portable-transport} execution in
 * relay-core's pom, with {@link IngestTest}), since Netty decides once per JVM.
 */
class CameraPortWithoutNativeTransportTest {
  private CameraRelay relay;
  private final List<byte[]> frames = new CopyOnWriteArrayList<>();
  private final Set<String> publishingThreads = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void nativeTransportIsOff() {
    assumeThat(Boolean.getBoolean("io.netty.transport.noNative"))
        .as("only in a JVM started with -Dio.netty.transport.noNative=true")
        .isTrue();
    assertThat(Epoll.isAvailable())
        .as("run with -Dio.netty.transport.noNative=true (relay-core's portable-transport execution)")
        .isFalse();
  }

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

  @Test
  void framesFromAConnectionPerFrameArePublishedWholeAndInOrderByThePortableLoops() throws Exception {
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] jpeg = TestJpegs.frame(i);
      FakeCamera.sendOnePerConnection(relay.tcpPort(), jpeg);
      sent.add(jpeg);
      int expected = i + 1;
      Await.until("frame " + i + " published", () -> frames.size() >= expected);
    }

    assertThat(frames).containsExactlyElementsOf(sent);
    assertThat(publishingThreads).allMatch(name -> name.startsWith("camrelay-io-"));
  }

  @Test
  void aFramedCameraStreamsOnOneConnection() throws Exception {
    List<byte[]> sent = new ArrayList<>();
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
  void aSecondRelayOnTheSamePortIsRefused() throws Exception {
    CameraRelay second = CameraRelay.builder().bind("127.0.0.1").tcpPort(relay.tcpPort()).wsPort(-1).httpPort(-1)
        .build();
    try {
      assertThatThrownBy(second::start)
          .isInstanceOf(PortBindException.class)
          .hasMessage("TCP ingest port " + relay.tcpPort() + " is already in use");
    } finally {
      second.close();
    }
  }
}
