package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.internal.port.TestKeystores;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the camera TCP port of a relay with a TLS key: stalled and broken TLS handshakes are closed (by the
 * handshake timeout at the latest), each kind logs at most one line per period without a stack trace, and a camera
 * connected over TLS keeps streaming to its wss:// viewer throughout.
 */
class TlsCameraPortBadInputTest {
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
  private static final String PASSWORD = "changeit";

  @TempDir
  static Path dir;

  private static Path p12;
  private static SSLContext client;
  private CameraRelay relay;
  private LogCapture log;
  private FakeCamera camera;
  private ViewerClient viewer;
  private ResourceLeakDetector.Level leakLevel;

  @BeforeAll
  static void keystore() throws Exception {
    p12 = TestKeystores.generate(dir, PASSWORD);
    client = TestKeystores.clientTrusting(p12, PASSWORD);
  }

  @BeforeEach
  void relayWithATlsCameraAndViewer() throws Exception {
    leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    log = LogCapture.all();
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1)
        .handshakeTimeout(HANDSHAKE_TIMEOUT).tls(p12, PASSWORD.toCharArray()).build();
    relay.start();
    camera = FakeCamera.framed(FakeCamera.openTls(relay.tcpPort(), client), "steady", null, 0);
    camera.awaitWelcome();
    viewer = ViewerClient.connect("wss://127.0.0.1:" + relay.wsPort() + "/cam/steady", client);
    assertThat(viewer.isOpen()).isTrue();
    assertStillStreaming(0);
  }

  @AfterEach
  void cameraStillStreamsAndTheLogIsClean() throws Exception {
    try {
      assertStillStreaming(100);
      viewer.closeBlocking();
      camera.close();
    } finally {
      relay.close();
      NettyLeaks.triggerReports();
      log.close();
      ResourceLeakDetector.setLevel(leakLevel);
    }
    assertThat(log.firstStackTraces()).as("stack traces in the relay's log").isEmpty();
    assertThat(log.linesContaining("LEAK:")).as("Netty leak reports").isEmpty();
  }

  private void assertStillStreaming(int from) throws Exception {
    for (int i = from; i < from + 3; i++) {
      byte[] jpeg = TestJpegs.frame(i);
      camera.sendFrame(jpeg);
      assertThat(viewer.nextFrame()).as("frame %d of the TLS camera", i).isEqualTo(jpeg);
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", relay.tcpPort()), 10_000);
    s.setSoTimeout(20_000);
    return s;
  }

  @Test
  void clientHelloThenSilenceIsClosedByTheHandshakeTimeoutWithOneLine() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        Socket s = connect();
        s.getOutputStream().write(AbuseFixture.tlsClientHello());
        stalled.add(s);
      }
      for (Socket s : stalled) {
        assertThat(TcpBadInputTest.readUntilClosed(s)).as("the relay's ServerHello, then the close").isNotEmpty();
      }
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
    String line = "TLS handshake not finished within " + HANDSHAKE_TIMEOUT.toMillis() + " ms";
    Await.until("the stalled-handshake line", () -> !log.linesContaining(line).isEmpty());
    assertThat(log.linesContaining(line)).as("one line, not five").hasSize(1);
  }

  @Test
  void aTlsRecordHeaderFollowedByGarbageIsClosedWithOneLinePerPeriod() throws Exception {
    long start = System.nanoTime();
    byte[] body = new byte[200];
    new Random(42).nextBytes(body);
    byte[] input = concat(new byte[] {0x16, 0x03, 0x03, 0x00, (byte) 200}, body); // a record holding no ClientHello
    for (int i = 0; i < 20; i++) {
      try (Socket s = connect()) {
        s.getOutputStream().write(input);
        TcpBadInputTest.readUntilClosed(s);
      }
    }
    String kind = "TLS handshake with camera connection";
    Await.until("a handshake failure line", () -> !log.linesContaining(kind).isEmpty());
    long periods = 1 + (System.nanoTime() - start) / 10_000_000_000L;
    List<String> lines = log.linesContaining(kind);
    assertThat(lines).as("one line per 10 s, not 20").hasSizeBetween(1, (int) periods);
    assertThat(String.join("\n", lines)).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aClientThatDistrustsTheCertificateIsClosedAndTheAlertLogged() throws Exception {
    SSLContext distrusting = SSLContext.getInstance("TLS");
    distrusting.init(null, null, null); // the JDK's CA list: a self-signed relay is not in it
    assertThatThrownBy(() -> FakeCamera.openTls(relay.tcpPort(), distrusting).close())
        .isInstanceOf(SSLHandshakeException.class);
    Await.until("the alert line", () -> !log.linesContaining("TLS handshake with camera connection",
        "fatal alert").isEmpty());
  }

  @Test
  void anHttpsRequestOnTheCameraPortGetsTheExplainingBadRequestOverTls() throws Exception {
    try (SSLSocket s = (SSLSocket) FakeCamera.openTls(relay.tcpPort(), client)) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String response = new String(TcpBadInputTest.readUntilClosed(s), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("camera ingest port");
    }
  }

  @Test
  void aLoneHandshakeByteIsClosedByTheHandshakeTimeout() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write(0x16);
      assertThat(TcpBadInputTest.readUntilClosed(s)).isEmpty();
    }
    Await.until("the silent-connection line", () -> !log.linesContaining("nothing identifiable within").isEmpty());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
