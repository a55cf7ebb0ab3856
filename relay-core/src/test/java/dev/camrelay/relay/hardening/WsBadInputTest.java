package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the WebSocket port (3009), from viewers and from WebSocket cameras: oversized and huge-length frames,
 * binary from a viewer, text floods, invalid JSON and UTF-8, handshakes that never finish. Each gets the documented
 * close code or error reply, and the canary keeps flowing.
 */
class WsBadInputTest extends AbuseFixture {
  private static final HexFormat HEX = HexFormat.of();
  private static final Map<String, String> V1 = Map.of("Sec-WebSocket-Protocol", "camrelay.v1");

  /** A masked client frame (FIN set) with an honest length header. */
  static byte[] clientFrame(int opcode, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x80 | opcode);
    int n = payload.length;
    if (n < 126) {
      f.write(0x80 | n);
    } else if (n <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write(n >> 8);
      f.write(n);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) n >> (8 * i)));
      }
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    f.writeBytes(mask);
    for (int i = 0; i < n; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    return f.toByteArray();
  }

  static byte[] text(String s) {
    return clientFrame(1, s.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads until a close frame and returns its status code; fails on EOF without one or a silent connection. */
  static int awaitCloseCode(RawWs ws) throws IOException {
    while (true) {
      RawWs.Frame f;
      try {
        f = ws.readFrame();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no close frame from the relay");
      }
      if (f.opcode() == 8) {
        return f.payload().length >= 2 ? ((f.payload()[0] & 0xFF) << 8) | (f.payload()[1] & 0xFF) : 1005;
      }
    }
  }

  private RawWs viewer(String path, Map<String, String> headers) throws IOException {
    RawWs ws = RawWs.open(relay.wsPort(), path, headers, 0);
    assertThat(ws.statusLine).contains("101");
    return ws;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", relay.wsPort()), 10_000);
    s.setSoTimeout(20_000);
    return s;
  }

  private static boolean closedByRelay(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // drain
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void oversizedMessageFromAViewerIsClosedWith1009() throws Exception {
    try (RawWs ws = viewer("/cam/" + Canary.ID, V1)) {
      String big = "{\"type\":\"control\",\"id\":1,\"command\":{\"cmd\":\"x\",\"pad\":\"" + "a".repeat(100_000) + "\"}}";
      ws.socket.getOutputStream().write(text(big));
      assertThat(awaitCloseCode(ws)).isEqualTo(1009);
      assertThat(ws.closedByServer()).isTrue();
    }
  }

  @Test
  void frameHeadersClaimingHugeLengthsAreClosedWithoutAllocating() throws Exception {
    for (String length : new String[] {"000000007fffffff", "0000000080000000", "4000000000000000", "7fffffffffffffff"}) {
      for (String path : new String[] {"/cam/" + Canary.ID, "/ingest/huge"}) {
        try (RawWs ws = viewer(path, Map.of())) {
          // FIN + binary, MASK + 127, the 64-bit length, a mask key, then a few bytes of "payload".
          ws.socket.getOutputStream().write(HEX.parseHex("82ff" + length + "01020304" + "00".repeat(64)));
          int code = awaitCloseCode(ws);
          assertThat(code).as(path + " " + length).isIn(1009, 1002);
          assertThat(ws.closedByServer()).isTrue();
        }
      }
    }
  }

  @Test
  void binaryFromAViewerIsRefusedWith1003() throws Exception {
    try (RawWs ws = viewer("/cam/" + Canary.ID, Map.of())) {
      ws.sendFrame(2, FRAMES.next(Canary.ID, 0));
      assertThat(awaitCloseCode(ws)).isEqualTo(1003);
    }
    // Nothing a viewer sends is published.
    assertThat(stats(Canary.ID).ingest()).isEqualTo("framed");
  }

  @Test
  void controlFloodFromAViewerIsRateLimited() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "ctl", null, Hello.CONTROL)) {
      cam.answerControl(json -> "{\"ok\":true}");
      cam.awaitWelcome();
      try (RawWs ws = viewer("/cam/ctl", V1)) {
        int flood = 300;
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < flood; i++) {
          burst.writeBytes(text("{\"type\":\"control\",\"id\":" + i + ",\"command\":{\"cmd\":\"status\"}}"));
        }
        long start = System.nanoTime();
        ws.socket.getOutputStream().write(burst.toByteArray());
        String limited = TcpBadInputTest.nextTextContaining(ws, "rate limited");
        assertThat(limited).contains("\"ok\":false").contains("at most 10 control messages per second");
        Await.until("the first commands reach the camera", () -> !cam.controls.isEmpty());
        int forwarded = cam.controls.size();
        double elapsedSeconds = (System.nanoTime() - start) / 1e9;
        // A token bucket of 10 per second, full at the start: never more than 10 + 10/s got through.
        assertThat(forwarded).as("commands that reached the camera after %.1f s", elapsedSeconds)
            .isLessThanOrEqualTo((int) (10 + 10 * elapsedSeconds) + 1)
            .isLessThan(flood);
        // The flooding viewer is not disconnected: once the flood is processed and the bucket refills, a command
        // goes through again.
        boolean answered = false;
        for (int attempt = 0; attempt < 20 && !answered; attempt++) {
          Thread.sleep(1100);
          String id = "after-" + attempt;
          ws.sendText("{\"type\":\"control\",\"id\":\"" + id + "\",\"command\":{\"cmd\":\"status\"}}");
          answered = TcpBadInputTest.nextTextContaining(ws, "\"id\":\"" + id + "\"").contains("\"ok\":true");
        }
        assertThat(answered).as("a command after the flood is answered by the camera").isTrue();
      }
    }
  }

  @Test
  void textFloodFromAPlainViewerIsIgnoredAndFramesKeepComing() throws Exception {
    try (RawWs ws = viewer("/cam/" + Canary.ID, Map.of())) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < 2000; i++) {
        burst.writeBytes(text("{\"type\":\"control\",\"id\":" + i + ",\"command\":{\"cmd\":\"restart\"}}"));
      }
      ws.socket.getOutputStream().write(burst.toByteArray());
      for (int i = 0; i < 5; i++) {
        RawWs.Frame f = ws.readFrame();
        assertThat(f.opcode()).as("a plain viewer gets binary frames only").isEqualTo(2);
        assertThat(FRAMES.verify(Canary.ID, f.payload())).isNull();
      }
    }
  }

  @Test
  void invalidControlMessagesGetDocumentedErrorRepliesAndTheViewerStays() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "ctl", null, Hello.CONTROL)) {
      cam.answerControl(json -> "{\"ok\":true}");
      cam.awaitWelcome();
      try (RawWs ws = viewer("/cam/ctl", V1)) {
        String[][] cases = {
            {"{nope", "not a JSON object"},
            {"[1,2]", "not a JSON object"},
            {"\"just a string\"", "not a JSON object"},
            {"", "not a JSON object"},
            {"[".repeat(4000) + "]".repeat(4000), "not a JSON object"},
            {"{\"type\":\"bogus\",\"id\":3}", "unknown message type (expected \\\"control\\\")"},
            {"{\"type\":\"control\",\"id\":4,\"command\":\"quality\"}", "\\\"command\\\" must be a JSON object"},
            {"{\"type\":\"control\",\"id\":5}", "\\\"command\\\" must be a JSON object"},
        };
        for (String[] c : cases) {
          ws.sendText(c[0]);
          String reply = TcpBadInputTest.nextTextContaining(ws, "control-reply");
          assertThat(reply).as(c[0].length() > 40 ? c[0].substring(0, 40) + "..." : c[0])
              .contains("\"ok\":false").contains(c[1]);
        }
        assertThat(cam.controls).as("nothing invalid reached the camera").isEmpty();
        // Still a working viewer.
        byte[] jpeg = FRAMES.next("ctl", 0);
        cam.sendFrame(jpeg);
        assertThat(ws.readBinary()).isEqualTo(jpeg);
      }
    }
  }

  @Test
  void pingFloodFromAViewerThatNeverReadsDoesNotPileUpPongs() throws Exception {
    try (RawWs ws = RawWs.open(relay.wsPort(), "/cam/flood", Map.of(), 4096)) {
      assertThat(ws.statusLine).contains("101");
      long growth = NonReadingFlood.heapGrowth(ws.socket.getOutputStream(), clientFrame(9, new byte[100]));
      assertThat(growth).as("heap growth after %d pings never read", NonReadingFlood.UNITS)
          .isLessThan(NonReadingFlood.HEAP_SLACK);
    }
  }

  @Test
  void invalidUtf8TextIsClosedWith1007() throws Exception {
    try (RawWs ws = viewer("/cam/" + Canary.ID, V1)) {
      ws.socket.getOutputStream().write(clientFrame(1, HEX.parseHex("7b2263223a22c328227d"))); // {"c":" C3 28 "}
      assertThat(awaitCloseCode(ws)).isEqualTo(1007);
    }
    try (RawWs ws = viewer("/ingest/utf8", Map.of())) {
      ws.socket.getOutputStream().write(clientFrame(1, HEX.parseHex("7b226964223a312c226f6b223aedb080")));
      assertThat(awaitCloseCode(ws)).isEqualTo(1007);
    }
  }

  @Test
  void webSocketCameraSendingNonJpegsAndBadRepliesIsCountedAndLoggedOncePerPeriod() throws Exception {
    try (RawWs viewer = viewer("/cam/wsbad", Map.of()); RawWs cam = viewer("/ingest/wsbad", Map.of())) {
      for (int i = 0; i < 30; i++) {
        cam.sendFrame(2, ("not a jpeg " + i).getBytes(StandardCharsets.US_ASCII));
        cam.sendFrame(2, java.util.Arrays.copyOf(FRAMES.next("wsbad", i), 500)); // a truncated JPEG
        cam.sendText(i % 2 == 0 ? "{broken" : "[\"not an object\"]");
      }
      byte[] good = FRAMES.next("wsbad", 99);
      cam.sendFrame(2, good);
      assertThat(viewer.readBinary()).as("the first thing the viewer sees is the first complete frame").isEqualTo(good);
      assertThat(stats("wsbad").framesDropped()).isEqualTo(60);
      assertThat(stats("wsbad").framesIn()).isEqualTo(1);
      assertThat(stats("wsbad").connected()).isTrue();
    }
    assertThat(logLines("camera 'wsbad'", "dropped invalid frame")).isNotEmpty()
        .hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
    assertThat(logLines("camera 'wsbad'", "ignoring text that is not a JSON object")).isNotEmpty()
        .hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
  }

  @Test
  void handshakesThatNeverFinishAreClosedAtTheHandshakeTimeout() throws Exception {
    byte[] head = ("GET /cam/" + Canary.ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    try (Socket silent = connect(); Socket partial = connect(); Socket slow = connect()) {
      partial.getOutputStream().write(head, 0, head.length - 2);
      // One byte at a time, slower than the timeout allows for the whole head.
      long pauseMs = Math.max(50, HANDSHAKE_TIMEOUT.toMillis() * 10 / head.length);
      int sent = 0;
      try {
        for (; sent < head.length; sent++) {
          slow.getOutputStream().write(head[sent]);
          Thread.sleep(pauseMs);
        }
      } catch (IOException e) {
        // closed by the relay
      }
      assertThat(sent).as("cut off before the handshake was complete").isLessThan(head.length);
      assertThat(closedByRelay(slow)).isTrue();
      assertThat(closedByRelay(silent)).isTrue();
      assertThat(closedByRelay(partial)).isTrue();
    }
    assertThat(logLines("no complete handshake within " + HANDSHAKE_TIMEOUT.toMillis() + " ms")).isNotEmpty()
        .hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
  }

  @Test
  void oversizedHandshakeIsClosed() throws Exception {
    try (Socket s = connect()) {
      StringBuilder req = new StringBuilder("GET /cam/" + Canary.ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      for (int i = 0; i < 400; i++) {
        req.append("X-Padding-").append(i).append(": ").append("p".repeat(60)).append("\r\n");
      }
      try {
        s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // the relay may reset before everything is written
      }
      assertThat(closedByRelay(s)).isTrue();
    }
  }

  @Test
  void garbageAndTlsInsteadOfAHandshakeAreClosed() throws Exception {
    Random random = new Random(3);
    List<byte[]> inputs = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] b = new byte[1 + random.nextInt(2000)];
      random.nextBytes(b);
      inputs.add(b);
    }
    inputs.add("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    inputs.add("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // no upgrade
    inputs.add("POST /ingest/x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII));
    inputs.add(tlsClientHello());
    // All at once: the ones that only the handshake deadline ends then take one timeout in total.
    List<Socket> sockets = new java.util.ArrayList<>();
    try {
      for (byte[] input : inputs) {
        Socket s = connect();
        sockets.add(s);
        try {
          s.getOutputStream().write(input);
        } catch (IOException e) {
          // reset early: fine
        }
      }
      for (int i = 0; i < sockets.size(); i++) {
        assertThat(closedByRelay(sockets.get(i))).as("input " + i).isTrue();
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
