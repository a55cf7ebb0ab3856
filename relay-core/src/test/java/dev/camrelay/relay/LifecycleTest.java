package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** start() binds everything or nothing and says which port failed; close() leaves no thread and no socket. */
class LifecycleTest {

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void busyTcpPortFailsStartNamingPortAndSettingAndReleasesTheOthers() throws Exception {
    int wsPort = freePort();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = busy.getLocalPort();
      CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(port).wsPort(wsPort).httpPort(-1).build();
      assertThatThrownBy(relay::start)
          .isInstanceOfSatisfying(PortBindException.class,
              e -> assertThat(e.setting()).isEqualTo(PortBindException.Setting.TCP_PORT))
          .hasMessage("TCP ingest port " + port + " is already in use");
      assertThat(relay.tcpPort()).isEqualTo(-1);
      assertThat(bindable(wsPort)).isTrue();
      relay.close();
    }
  }

  @Test
  void busyWebSocketPortFailsStartNamingPortAndSetting() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = busy.getLocalPort();
      CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(port).httpPort(-1).build();
      assertThatThrownBy(relay::start)
          .isInstanceOfSatisfying(PortBindException.class,
              e -> assertThat(e.setting()).isEqualTo(PortBindException.Setting.WS_PORT))
          .hasMessage("WebSocket port " + port + " is already in use");
      relay.close();
    }
  }

  @Test
  void busyHttpPortFailsStartNamingPort() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = busy.getLocalPort();
      CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(port).build();
      assertThatThrownBy(relay::start)
          .isInstanceOfSatisfying(PortBindException.class,
              e -> assertThat(e.setting()).isEqualTo(PortBindException.Setting.HTTP_PORT))
          .hasMessage("HTTP port " + port + " is already in use");
      relay.close();
    }
  }

  @Test
  void startTwiceIsRefused() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      assertThatThrownBy(relay::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closeLeavesNoThreadsAndFreesEveryPort() throws Exception {
    exercise(); // warms up JVM-wide singletons (class loading, Netty statics) so they do not count as leaks
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    int[] ports = exercise();
    Await.until("no relay thread is left", () -> newThreads(before).isEmpty());
    for (int port : ports) {
      assertThat(bindable(port)).as("port %d is free", port).isTrue();
    }
  }

  @Test
  void aRelayStartsAgainOnTheSameWebSocketPortAfterItClosedConnectionsItself() throws Exception {
    // A refused handshake is closed from the relay's side, leaving TIME_WAIT on its port; a relay restarted by a
    // supervisor must still bind that port at once.
    CameraRelay first = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).httpPort(-1).wsPort(0)
        .viewerToken("s3cret").build();
    first.start();
    int wsPort = first.wsPort();
    try (RawWs refused = RawWs.open(wsPort, "/cam/c")) {
      assertThat(refused.statusLine).contains("401");
      Await.until("the relay closed the refused connection", refused::closedByServer);
    }
    first.close();
    CameraRelay again = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).httpPort(-1).wsPort(wsPort).build();
    try {
      again.start();
      assertThat(again.wsPort()).isEqualTo(wsPort);
    } finally {
      again.close();
    }
  }

  private static Set<String> newThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  /** Runs a relay with every port in use (camera, WS viewer, stuck viewer, HTTP client), then closes it. */
  private static int[] exercise() throws Exception {
    CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).build();
    relay.start();
    int[] ports = {relay.tcpPort(), relay.wsPort(), relay.httpPort()};
    FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "c", null, 0);
    cam.awaitWelcome();
    ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/c");
    RawWs stuck = RawWs.open(relay.wsPort(), "/cam/c", Map.of(), 4096);
    Socket http = new Socket("127.0.0.1", relay.httpPort());
    http.getOutputStream().write("GET /cam/c/stream.mjpeg HTTP/1.1\r\nHost: x\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < 20; i++) {
      byte[] jpeg = TestJpegs.bigFrame(i, 320, 240);
      cam.sendFrame(jpeg);
      assertThat(viewer.nextFrame()).isEqualTo(jpeg);
    }
    long t0 = System.nanoTime();
    relay.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("close() took " + ms + " ms");
    assertThat(ms).as("close() returns (generous bound against hangs)").isLessThan(5000);
    assertThat(cam.awaitClosedByRelay()).isTrue();
    assertThat(viewer.waitClosed()).isTrue();
    cam.close();
    stuck.close();
    http.close();
    return ports;
  }
}
