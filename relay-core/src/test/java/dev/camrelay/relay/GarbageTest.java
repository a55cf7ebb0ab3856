package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage and oversized input on the TCP and WebSocket ports gets its documented answer, and a camera streaming
 * meanwhile goes on undisturbed for its viewers.
 */
class GarbageTest {
  /**
   * Long enough that no connection a test makes on purpose (the canary, viewers, cameras) races it on a loaded
   * machine; the tests that wait for it only wait longer.
   */
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  /** How long a read waits for the relay to close a connection before the test fails (well above the timeout). */
  private static final int CLOSE_DEADLINE_MS = 30_000;
  private CameraRelay relay;
  private FakeCamera goodCamera;
  private ViewerClient viewer;
  private int frameNumber;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1)
        .maxFrameBytes(64 * 1024).handshakeTimeout(HANDSHAKE_TIMEOUT).build();
    relay.start();
    goodCamera = FakeCamera.framed(relay.tcpPort(), "good", null, 0);
    goodCamera.awaitWelcome();
    viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/good");
    assertGoodCameraStillStreams();
  }

  @AfterEach
  void stop() throws Exception {
    assertGoodCameraStillStreams();
    viewer.closeBlocking();
    goodCamera.close();
    relay.close();
  }

  private void assertGoodCameraStillStreams() throws Exception {
    byte[] jpeg = TestJpegs.frame(frameNumber++);
    goodCamera.sendFrame(jpeg);
    assertThat(viewer.nextFrame()).isEqualTo(jpeg);
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(CLOSE_DEADLINE_MS);
    return s;
  }

  /**
   * Everything the relay sends until it closes the connection ({@code "<reset>"} if it resets it); fails when the
   * relay keeps the connection open past the deadline.
   */
  private static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the relay did not close the connection within " + CLOSE_DEADLINE_MS + " ms", e);
    } catch (IOException e) {
      return "<reset>";
    }
  }

  @Test
  void randomBytesOnTcpPortAreClosed() throws Exception {
    byte[] junk = new byte[4096];
    new Random(42).nextBytes(junk);
    junk[0] = 0x01; // not FF, not 'C', not an HTTP verb, not TLS
    try (Socket s = connect(relay.tcpPort())) {
      s.getOutputStream().write(junk);
      assertThat(readAll(s)).isIn("", "<reset>");
    }
  }

  @Test
  void httpRequestOnTcpPortGets400ExplainingThePorts() throws Exception {
    try (Socket s = connect(relay.tcpPort())) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String response = readAll(s);
      assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
      assertThat(response).contains("camera ingest port").contains("port " + relay.wsPort());
    }
  }

  @Test
  void tlsClientHelloOnTcpPortIsClosed() throws Exception {
    byte[] hello = HexFormat.of().parseHex("16030100a5010000a10303" + "00".repeat(32) + "000002c02f0100");
    try (Socket s = connect(relay.tcpPort())) {
      s.getOutputStream().write(hello);
      assertThat(readAll(s)).isIn("", "<reset>");
    }
  }

  @Test
  void silentTcpConnectionIsClosedAfterHandshakeTimeout() throws Exception {
    try (Socket s = connect(relay.tcpPort())) {
      assertThat(readAll(s)).isIn("", "<reset>");
    }
  }

  @Test
  void framedConnectionWithoutHelloGetsTimeoutError() throws Exception {
    try (FakeCamera cam = FakeCamera.framedSilent(relay.tcpPort())) {
      cam.write("CRLY".getBytes(StandardCharsets.US_ASCII));
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(5);
      assertThat(r.reason()).isEqualTo("no HELLO within " + HANDSHAKE_TIMEOUT.toMillis() + " ms");
    }
  }

  @Test
  void framedMessageBeforeHelloIsAProtocolError() throws Exception {
    try (FakeCamera cam = FakeCamera.framedSilent(relay.tcpPort())) {
      cam.send(Message.ping(new byte[0]));
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.reason()).isEqualTo("expected HELLO first, got PING");
    }
  }

  @Test
  void oversizedFramedFrameGetsTooLargeBeforeItIsBuffered() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "big", null, 0)) {
      assertThat(cam.awaitWelcome().maxPayload()).isEqualTo(64 * 1024);
      // Only the header announcing 1 MiB is sent: the relay refuses from the header alone.
      byte[] header = new byte[24];
      ByteBuffer.wrap(header).putInt(0x43524C59).put((byte) 1).put((byte) 0x10).putShort((short) 0)
          .putInt(1024 * 1024).putInt(1).putLong(0);
      cam.write(header);
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(4);
      assertThat(cam.awaitClosedByRelay()).isTrue();
    }
  }

  @Test
  void unknownProtocolVersionIsUnsupported() throws Exception {
    try (FakeCamera cam = FakeCamera.framedSilent(relay.tcpPort())) {
      byte[] header = new byte[24];
      ByteBuffer.wrap(header).putInt(0x43524C59).put((byte) 2).put((byte) 0x01);
      cam.write(header);
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.reason()).contains("version 2");
    }
  }

  @Test
  void oversizedRawFrameIsDroppedAndTheStreamResyncs() throws Exception {
    byte[] small = TestJpegs.frame(1);
    byte[] huge = TestJpegs.bigFrame(2, 640, 480);
    assertThat(huge.length).isGreaterThan(64 * 1024);
    ViewerClient rawViewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/");
    try (FakeCamera cam = FakeCamera.raw(relay.tcpPort())) {
      cam.sendFrame(huge);
      cam.sendFrame(small);
      assertThat(rawViewer.nextFrame()).isEqualTo(small);
    }
    Await.until("the oversized frame is counted", () -> relay.cameras().stream()
        .anyMatch(c -> c.id().equals("default") && c.framesDropped() == 1));
    rawViewer.closeBlocking();
  }

  @Test
  void garbageOnWebSocketPortIsClosed() throws Exception {
    byte[] junk = new byte[2048];
    new Random(7).nextBytes(junk);
    assertThat(indexOf(junk, "\r\n")).as("no line end: the relay cannot even read a request line").isNegative();
    try (Socket s = connect(relay.wsPort())) {
      s.getOutputStream().write(junk);
      // The half-read garbage holds up nobody: the camera streams to its viewer while the connection is open.
      assertGoodCameraStillStreams();
      // Not a request: nothing is answered, the connection is closed (at the latest at the handshake timeout).
      assertThat(readAll(s)).isIn("", "<reset>");
    }
  }

  @Test
  void garbageLineOnWebSocketPortGetsAnHttpErrorAndIsClosed() throws Exception {
    byte[] junk = new byte[2048];
    new Random(7).nextBytes(junk);
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(end, 0, junk, 100, end.length);
    try (Socket s = connect(relay.wsPort())) {
      s.getOutputStream().write(junk);
      // A request head that is not HTTP: the library's 404 (a non-upgrade request), then close.
      assertThat(readAll(s)).startsWith("HTTP/1.1 404 ");
    }
  }

  private static int indexOf(byte[] bytes, String ascii) {
    byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void plainHttpRequestOnWebSocketPortGets404() throws Exception {
    try (Socket s = connect(relay.wsPort())) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(s)).startsWith("HTTP/1.1 404");
    }
  }

  @Test
  void endlessHandshakeHeaderOnWebSocketPortIsCut() throws Exception {
    // A relay whose handshake timeout is far beyond the read deadline: only the size cap can close this in time.
    try (CameraRelay patient = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
            .handshakeTimeout(Duration.ofMinutes(10)).build()) {
      patient.start();
      try (Socket s = connect(patient.wsPort())) {
        byte[] line = ("X-Pad: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        try {
          for (int i = 0; i < 100; i++) {
            s.getOutputStream().write(line);
          }
        } catch (IOException e) {
          // reset by the relay: expected
        }
        assertThat(readAll(s)).isIn("", "<reset>");
      }
    }
  }

  @Test
  void silentWebSocketConnectionIsClosedAfterHandshakeTimeout() throws Exception {
    try (Socket s = connect(relay.wsPort())) {
      assertThat(readAll(s)).isIn("", "<reset>");
    }
  }

  @Test
  void invalidJpegOverWebSocketIngestIsDroppedAndCounted() throws Exception {
    ViewerClient wsCam = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/ingest/wsbad");
    wsCam.send(new byte[] {1, 2, 3, 4, 5});
    byte[] ok = TestJpegs.frame(3);
    ViewerClient v = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/wsbad");
    wsCam.send(ok);
    assertThat(v.nextFrame()).isEqualTo(ok);
    assertThat(relay.cameras().stream().filter(c -> c.id().equals("wsbad")).findFirst().orElseThrow()
        .framesDropped()).isEqualTo(1);
    wsCam.closeBlocking();
    v.closeBlocking();
  }

  @Test
  void oversizedWebSocketIngestMessageClosesWith1009() throws Exception {
    ViewerClient wsCam = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/ingest/wsbig");
    wsCam.send(new byte[64 * 1024 + 1]);
    assertThat(wsCam.waitClosed()).isTrue();
    assertThat(wsCam.closeCode).isEqualTo(1009);
  }

  @Test
  void binaryFromViewerClosesItWith1003() throws Exception {
    try (RawWs raw = RawWs.open(relay.wsPort(), "/cam/good", Map.of(), 0)) {
      raw.sendFrame(2, new byte[] {1, 2, 3});
      RawWs.Frame f;
      do {
        f = raw.readFrame();
      } while (f.opcode() != 8);
      assertThat(((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff)).isEqualTo(1003);
    }
  }
}
