package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.ControlException;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the TCP camera port (3008): every case gets the documented answer (an HTTP 400 for HTTP, an ERROR
 * with the right code for framed sessions, a close otherwise), logs at most one line per kind per period, and the
 * canary camera and its viewers keep going throughout.
 */
class TcpBadInputTest extends AbuseFixture {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SIGNATURE_STARTS = {(byte) 0xFF, 'C', 'G', 'H', 'P', 'D', 'O', 'T', 'S', 0x16};

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", relay.tcpPort()), 10_000);
    s.setSoTimeout(20_000);
    return s;
  }

  /** Reads everything until the relay closes the connection; fails if it does not within the read timeout. */
  static byte[] readUntilClosed(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the relay did not close the connection (read so far: " + got.size() + " bytes)");
    } catch (IOException e) {
      // reset: closed too
    }
    return got.toByteArray();
  }

  private static byte[] randomGarbage(Random random) {
    byte[] b = new byte[1 + random.nextInt(512)];
    random.nextBytes(b);
    while (startsASignature(b[0])) {
      b[0] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static boolean startsASignature(byte first) {
    for (byte s : SIGNATURE_STARTS) {
      if (s == first) {
        return true;
      }
    }
    return false;
  }

  @Test
  void randomBytesAreClosedWithAReasonLoggedOncePerPeriod() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < 40; i++) {
      try (Socket s = connect()) {
        s.getOutputStream().write(randomGarbage(random));
        assertThat(readUntilClosed(s)).as("seed " + seed).isEmpty();
      }
    }
    List<String> lines = logLines("not a camera stream (unrecognised first bytes");
    assertThat(lines).as("one line, not 40").isNotEmpty().hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
  }

  @Test
  void randomBytesInsideAFramedSessionAreAProtocolError() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "noisy", null, 0)) {
      cam.awaitWelcome();
      byte[] garbage = new byte[300];
      new Random(7).nextBytes(garbage);
      cam.write(garbage);
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(r.reason()).containsIgnoringCase("magic");
      assertThat(cam.awaitClosedByRelay()).isTrue();
    }
    assertThat(awaitDisconnect("noisy")).contains("PROTOCOL_ERROR");
  }

  @Test
  void randomBytesAfterARawJpegStartAreDroppedNotPublished() throws Exception {
    RawWs viewer = RawWs.open(relay.wsPort(), "/");
    try (FakeCamera cam = FakeCamera.raw(relay.tcpPort())) {
      byte[] good = FRAMES.next("default", 0);
      cam.write(good);
      assertThat(FRAMES.verify("default", viewer.readBinary())).isNull();
      byte[] noise = new byte[20_000];
      new Random(11).nextBytes(noise);
      noise[0] = (byte) 0xFF;
      noise[1] = (byte) 0xD8;
      cam.write(noise);
      // However much of what follows the noise swallows, the viewer only ever sees complete frames the camera sent.
      for (int i = 0; i < 40; i++) {
        cam.write(FRAMES.next("default", i));
      }
      byte[] seen = viewer.readBinary();
      assertThat(FRAMES.verify("default", seen)).isNull();
      assertThat(stats("default").framesDropped()).as("the noise was counted as a dropped frame").isPositive();
    } finally {
      viewer.close();
    }
  }

  @Test
  void httpRequestOnTheCameraPortIsAnswered400NamingThePortsAndClosed() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (Socket s = connect()) {
        s.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: cam\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String response = new String(readUntilClosed(s), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n")
            .contains("Connection: close")
            .contains("HTTP port " + relay.httpPort())
            .contains("port " + relay.wsPort());
      }
    }
    List<String> lines = logLines("not a camera stream (plain HTTP request (GET /stream)");
    assertThat(lines).isNotEmpty().hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
  }

  @Test
  void tlsClientHelloOnTheCameraPortIsClosedWithoutAnswer() throws Exception {
    byte[] hello = tlsClientHello();
    assertThat(hello[0]).isEqualTo((byte) 0x16);
    for (int i = 0; i < 10; i++) {
      try (Socket s = connect()) {
        s.getOutputStream().write(hello);
        assertThat(readUntilClosed(s)).isEmpty();
      }
    }
    List<String> lines = logLines("not a camera stream (looks like TLS ClientHello");
    assertThat(lines).isNotEmpty().hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
  }

  @Test
  void truncatedFramedMessagesNeverReachViewers() throws Exception {
    String id = "cut";
    RawWs viewer = RawWs.open(relay.wsPort(), "/cam/" + id);
    try {
      // A first complete frame, so the camera exists and the viewer is known to receive.
      try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), id, null, 0)) {
        cam.awaitWelcome();
        cam.sendFrame(FRAMES.next(id, 0));
        assertThat(FRAMES.verify(id, viewer.readBinary())).isNull();
      }
      assertThat(awaitDisconnect(id)).isEqualTo("connection closed");

      // HELLO cut inside its header, and inside its payload: nothing attaches.
      byte[] hello = MessageEncoder.encode(Message.hello(new Hello(1, 0, id, null, "cut-test")));
      for (int cut : new int[] {10, Message.HEADER_LENGTH + 3}) {
        try (Socket s = connect()) {
          s.getOutputStream().write(Arrays.copyOf(hello, cut));
          s.shutdownOutput();
          assertThat(readUntilClosed(s)).isEmpty();
        }
      }

      // A FRAME cut short by a clean close, by a reset, and a header with nothing after it.
      for (int variant = 0; variant < 3; variant++) {
        FakeCamera cam = FakeCamera.framed(relay.tcpPort(), id, null, 0);
        cam.awaitWelcome();
        byte[] jpeg = FRAMES.next(id, 8 + variant % 3);
        int length = variant == 2 ? Message.HEADER_LENGTH : Message.HEADER_LENGTH + jpeg.length / 2;
        cam.sendPartialFrame(jpeg, length);
        if (variant == 1) {
          cam.abort();
        } else {
          cam.close();
        }
        String reason = awaitDisconnect(id);
        if (variant != 1) {
          assertThat(reason).isEqualTo("connection closed in the middle of a message");
        }
      }
      long framesIn = stats(id).framesIn();
      assertThat(framesIn).isEqualTo(1);

      // The next complete frame is the next thing the viewer sees: no partial frame came before it.
      try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), id, null, 0)) {
        cam.awaitWelcome();
        byte[] last = FRAMES.next(id, 1);
        cam.sendFrame(last);
        assertThat(viewer.readBinary()).isEqualTo(last);
      }
    } finally {
      viewer.close();
    }
  }

  @Test
  void lengthsNearTwoToThe31AreRefusedTooLargeBeforeAllocating() throws Exception {
    for (String length : new String[] {"7fffffff", "80000000", "fffffff0", "ffffffff"}) {
      // A FRAME header after a good HELLO.
      try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "huge", null, 0)) {
        cam.awaitWelcome();
        cam.write(HEX.parseHex("43524c59" + "01" + "10" + "0000" + length + "00000001" + "0000000000000000"));
        cam.write(new byte[4096]);
        Reason r = cam.awaitClose(MessageType.ERROR);
        assertThat(r.code()).as(length).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(cam.awaitClosedByRelay()).isTrue();
      }
      assertThat(awaitDisconnect("huge")).contains("TOO_LARGE");
      // A HELLO header claiming the same, as the very first message.
      try (FakeCamera cam = FakeCamera.framedSilent(relay.tcpPort())) {
        cam.write(HEX.parseHex("43524c59" + "01" + "01" + "0000" + length + "00000000" + "0000000000000000"));
        Reason r = cam.awaitClose(MessageType.ERROR);
        assertThat(r.code()).as(length).isEqualTo(ErrorCode.TOO_LARGE);
      }
    }
  }

  @Test
  void malformedHellosAreProtocolErrorsWithPrintableReasonsAndNoToken() throws Exception {
    String secret = "camera-s3cr3t-99";
    String[] payloads = {
        // maxVersion 1, caps 0, id "\u001b[2Jevil" (invalid id with an escape sequence), token, firmware
        "01" + "00000000" + "09" + HEX.formatHex("\u001b[2Jevil".getBytes(StandardCharsets.ISO_8859_1))
            + tokenHex(secret) + "00",
        // id with invalid UTF-8
        "01" + "00000000" + "04" + "c328ff41" + tokenHex(secret) + "00",
        // id length running past the payload
        "01" + "00000000" + "40" + "41",
        // token length running past the payload
        "01" + "00000000" + "01" + "41" + "ff" + HEX.formatHex(secret.getBytes(StandardCharsets.US_ASCII)),
        // empty payload
        "",
    };
    for (String payload : payloads) {
      byte[] p = HEX.parseHex(payload);
      try (FakeCamera cam = FakeCamera.framedSilent(relay.tcpPort())) {
        cam.send(Message.of(MessageType.HELLO.code(), 0, 0, 0, p));
        Reason r = cam.awaitClose(MessageType.ERROR);
        assertThat(r.code()).as(payload).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(r.reason()).doesNotContain(secret).doesNotContain("\u001b");
        assertThat(cam.awaitClosedByRelay()).isTrue();
      }
    }
    assertThat(log.lines()).noneMatch(l -> l.contains(secret));
  }

  private static String tokenHex(String token) {
    byte[] t = token.getBytes(StandardCharsets.US_ASCII);
    return String.format("%02x", t.length) + HEX.formatHex(t);
  }

  @Test
  void helloSentOneByteAtATimeIsCutOffAtTheHandshakeTimeout() throws Exception {
    byte[] hello = MessageEncoder.encode(Message.hello(new Hello(1, 0, "slowloris", null,
        "a firmware string long enough that sending it byte by byte takes well over the handshake timeout")));
    long pauseMs = Math.max(100, HANDSHAKE_TIMEOUT.toMillis() * 10 / hello.length);
    int sent = 0;
    try (FakeCamera cam = FakeCamera.framedSilent(relay.tcpPort())) {
      try {
        for (; sent < hello.length && cam.received.isEmpty(); sent++) {
          cam.write(new byte[] {hello[sent]});
          Thread.sleep(pauseMs);
        }
      } catch (IOException e) {
        // the relay closed the connection while we were still sending
      }
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(ErrorCode.TIMEOUT);
      assertThat(r.reason()).contains("no HELLO within " + HANDSHAKE_TIMEOUT.toMillis() + " ms");
      assertThat(cam.awaitClosedByRelay()).isTrue();
    }
    assertThat(sent).as("closed before the HELLO was complete").isLessThan(hello.length);
    assertThat(relay.cameras()).extracting(c -> c.id()).doesNotContain("slowloris");
  }

  @Test
  void pingFloodFromACameraThatNeverReadsDoesNotPileUpPongs() throws Exception {
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.connect(new InetSocketAddress("127.0.0.1", relay.tcpPort()), 10_000);
      s.getOutputStream().write(MessageEncoder.encode(Message.hello(new Hello(1, 0, "pinger", null, "flood"))));
      long growth = NonReadingFlood.heapGrowth(s.getOutputStream(),
          MessageEncoder.encode(Message.ping(new byte[64])));
      assertThat(growth).as("heap growth after %d PINGs never read", NonReadingFlood.UNITS)
          .isLessThan(NonReadingFlood.HEAP_SLACK);
    }
  }

  @Test
  void silentAndUndecidedConnectionsAreClosedAtTheHandshakeTimeout() throws Exception {
    try (Socket silent = connect(); Socket undecided = connect()) {
      undecided.getOutputStream().write(new byte[] {'C', 'R'});
      assertThat(readUntilClosed(silent)).isEmpty();
      assertThat(readUntilClosed(undecided)).isEmpty();
    }
    assertThat(logLines("nothing identifiable within " + HANDSHAKE_TIMEOUT.toMillis() + " ms")).isNotEmpty()
        .hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
  }

  @Test
  void twoThousandConnectionsOpenedAndClosedLeaveNoSlotOrDescriptorBehind() throws Exception {
    int fdsBefore = ResourceSnapshot.fdCount();
    int perThread = 500;
    List<Thread> threads = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          try (Socket s = connect()) {
            switch ((i + thread) % 4) {
              case 0 -> { } // connect and close
              case 1 -> s.getOutputStream().write('C'); // an undecided prefix
              case 2 -> s.getOutputStream().write(HEX.parseHex("43524c590101")); // half a HELLO header
              default -> s.getOutputStream().write(0x00); // garbage
            }
            if (i % 2 == 0) {
              s.setSoLinger(true, 0); // reset instead of FIN
            }
            done.incrementAndGet();
          } catch (IOException e) {
            failures.add(e);
          }
        }
      }, "tcp-churn-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join(120_000);
    }
    assertThat(failures).isEmpty();
    assertThat(done.get()).isEqualTo(4 * perThread);

    // Every slot comes back once the relay has processed the closes (on a loaded machine it may lag behind the
    // clients, refusing some connections meanwhile): the default per-address limit is 250, far below 2000.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    boolean welcomed = false;
    while (!welcomed && System.nanoTime() < deadline) {
      try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "after-churn", null, 0)) {
        Message m = cam.received.poll(2, TimeUnit.SECONDS);
        welcomed = m != null && m.type() == MessageType.WELCOME;
      }
    }
    assertThat(welcomed).as("a camera is welcomed after the churn").isTrue();
    try (RawWs ws = RawWs.open(relay.wsPort(), "/cam/" + Canary.ID)) {
      assertThat(ws.statusLine).contains("101");
    }
    if (fdsBefore > 0) {
      Await.until("file descriptors back near " + fdsBefore,
          () -> ResourceSnapshot.fdCount() <= fdsBefore + 16);
    }
  }

  @Test
  void invalidJsonInAControlReplyIsForwardedAndReportedToTheViewer() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "ctl", null, Hello.CONTROL)) {
      cam.answerControl(json -> "{not json");
      cam.awaitWelcome();
      cam.sendFrame(FRAMES.next("ctl", 0));
      assertThat(relay.control("ctl", "{\"cmd\":\"status\"}").get(20, TimeUnit.SECONDS)).isEqualTo("{not json");

      RawWs viewer = RawWs.open(relay.wsPort(), "/cam/ctl", Map.of("Sec-WebSocket-Protocol", "camrelay.v1"), 0);
      try {
        viewer.sendText("{\"type\":\"control\",\"id\":41,\"command\":{\"cmd\":\"status\"}}");
        String reply = nextTextContaining(viewer, "control-reply");
        assertThat(reply).contains("\"id\":41").contains("\"ok\":false")
            .contains("camera 'ctl' sent a reply that is not a JSON object");
      } finally {
        viewer.close();
      }
      // The session goes on.
      cam.answerControl(json -> "{\"ok\":true}");
      assertThat(relay.control("ctl", "{\"cmd\":\"status\"}").get(20, TimeUnit.SECONDS)).isEqualTo("{\"ok\":true}");
      assertThat(stats("ctl").connected()).isTrue();
    }
  }

  @Test
  void invalidUtf8InAControlReplyIsAProtocolErrorAndFailsTheCommandAtOnce() throws Exception {
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "ctl8", null, Hello.CONTROL)) {
      cam.awaitWelcome();
      CompletableFuture<String> reply = relay.control("ctl8", "{\"cmd\":\"status\"}");
      long requestId = cam.awaitControl().requestId();
      byte[] payload = ByteBuffer.allocate(4 + 8 + 4).putInt((int) requestId)
          .put(HEX.parseHex("7b226f6b223ac328")).put(HEX.parseHex("7d00ff7d")).array(); // {"ok": C3 28 } 00 FF }
      cam.send(Message.of(MessageType.CONTROL.code(), Message.FLAG_REPLY, 0, 0, payload));
      Reason r = cam.awaitClose(MessageType.ERROR);
      assertThat(r.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(r.reason()).contains("not valid UTF-8");
      assertThatThrownBy(() -> reply.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ControlException.class);
      assertThat(((ControlException) catchCause(reply)).kind()).isEqualTo(ControlException.Kind.DISCONNECTED);
    }
    assertThat(awaitDisconnect("ctl8")).contains("PROTOCOL_ERROR");
  }

  private static Throwable catchCause(CompletableFuture<?> f) {
    try {
      f.get(20, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
  }

  static String nextTextContaining(RawWs ws, String fragment) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      RawWs.Frame f = ws.readFrame();
      if (f.opcode() == 8) {
        throw new AssertionError("closed while waiting for text containing " + fragment);
      }
      if (f.opcode() == 1) {
        String text = new String(f.payload(), StandardCharsets.UTF_8);
        if (text.contains(fragment)) {
          return text;
        }
      }
    }
    throw new AssertionError("no text containing " + fragment);
  }
}
