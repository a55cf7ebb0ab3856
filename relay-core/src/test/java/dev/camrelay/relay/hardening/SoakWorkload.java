package dev.camrelay.relay.hardening;

import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the soak throws at one relay at once, over real loopback sockets, each part on its own thread:
 *
 * <pre>
 * cameras   3 framed (reconnecting after 1..30 frames: BYE, FIN, RST, cut mid-frame, or replaced by a new connection),
 *           1 raw on the default camera (one JPEG per connection, several per connection, or cut mid-frame),
 *           1 WebSocket camera (reconnecting likewise)
 * viewers   per camera one WebSocket and one MJPEG viewer for the whole run (verifying every frame),
 *           WebSocket and MJPEG viewers that connect, read 0..4 frames and leave every few ms (RST, FIN, close
 *           frame, or in the middle of a frame), one WebSocket and one MJPEG viewer that never read
 * garbage   random bytes, HTTP and TLS ClientHellos to the camera port, silent and unfinished connections to every
 *           port, junk requests to the HTTP port; each one must be closed by the relay
 * </pre>
 *
 * Every frame a viewer receives is checked with {@link TaggedFrames#verify}: a complete JPEG, byte-identical to one
 * its camera sent. Problems are collected, not thrown, so the run goes on and the test reports them all.
 */
final class SoakWorkload {
  static final String[] FRAMED_IDS = {"soak-f0", "soak-f1", "soak-f2"};
  static final String RAW_ID = "default";
  static final String WS_ID = "soak-ws";
  static final String[] ALL_IDS = {"soak-f0", "soak-f1", "soak-f2", RAW_ID, WS_ID};
  private static final int MAX_PROBLEMS = 50;
  private static final int MAX_OPEN_GARBAGE = 32;

  private final CameraRelay relay;
  private final TaggedFrames frames;
  private final List<Thread> threads = new ArrayList<>();
  private final ExecutorService garbageCheckers = Executors.newFixedThreadPool(MAX_OPEN_GARBAGE, r -> {
    Thread t = new Thread(r, "soak-garbage-check");
    t.setDaemon(true);
    return t;
  });
  private final Semaphore garbageSlots = new Semaphore(MAX_OPEN_GARBAGE);
  private final Queue<AutoCloseable> longLived = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  final Queue<String> problems = new ConcurrentLinkedQueue<>();
  final AtomicInteger problemCount = new AtomicInteger();
  final AtomicLong framesSent = new AtomicLong();
  final AtomicLong framesCut = new AtomicLong();
  final AtomicLong framesVerified = new AtomicLong();
  final AtomicLong framesVerifiedMjpeg = new AtomicLong();
  final AtomicLong cameraConnections = new AtomicLong();
  final AtomicLong viewerConnections = new AtomicLong();
  final AtomicLong garbageConnections = new AtomicLong();
  final AtomicLong garbageClosedByRelay = new AtomicLong();
  final AtomicLong clientErrors = new AtomicLong();
  final AtomicLong longLivedReconnects = new AtomicLong();
  final AtomicLong outOfOrder = new AtomicLong();
  final Map<String, AtomicLong> longLivedFrames = new java.util.concurrent.ConcurrentHashMap<>();
  private RawWs stalledWs;
  private MjpegClient stalledMjpeg;

  SoakWorkload(CameraRelay relay, TaggedFrames frames) {
    this.relay = relay;
    this.frames = frames;
  }

  void start() throws Exception {
    for (String id : FRAMED_IDS) {
      spawn("soak-camera-" + id, () -> framedCamera(id));
    }
    spawn("soak-camera-raw", this::rawCamera);
    spawn("soak-camera-ws", this::wsCamera);
    // Viewers need cameras that exist (an MJPEG request for an unknown camera is a 404).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (relay.cameras().stream().filter(c -> c.framesIn() > 0).count() < ALL_IDS.length) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("soak cameras did not all start: " + relay.cameras());
      }
      Thread.sleep(20);
    }
    for (String id : ALL_IDS) {
      spawn("soak-viewer-ws-" + id, () -> longLivedWs(id));
      spawn("soak-viewer-mjpeg-" + id, () -> longLivedMjpeg(id));
    }
    stalledWs = RawWs.open(relay.wsPort(), "/cam/" + FRAMED_IDS[0], Map.of(), 4096);
    stalledMjpeg = MjpegClient.stream(relay.httpPort(), FRAMED_IDS[0], 4096, 15_000);
    for (int i = 0; i < 2; i++) {
      spawn("soak-churn-ws-" + i, this::churnWsViewers);
      spawn("soak-churn-mjpeg-" + i, this::churnMjpegViewers);
    }
    spawn("soak-garbage", this::garbage);
  }

  /** Stops every thread and closes every client socket; returns once all workload threads have ended. */
  void stop() throws Exception {
    running = false;
    for (AutoCloseable c : longLived) {
      try {
        c.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    for (Thread t : threads) {
      long start = System.nanoTime();
      t.join(60_000);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (t.isAlive()) {
        problem("workload thread " + t.getName() + " did not stop");
      } else if (ms > 2000) {
        System.out.println("soak: " + t.getName() + " took " + ms + " ms to stop");
      }
    }
    garbageCheckers.shutdown();
    if (!garbageCheckers.awaitTermination(60, TimeUnit.SECONDS)) {
      problem("garbage checks did not finish");
    }
  }

  /** Closes the never-reading viewers without checking them (for the warm-up). */
  void closeStalledViewers() throws IOException {
    stalledWs.close();
    stalledMjpeg.close();
  }

  /** The never-reading viewers the relay did not disconnect (checked after the cameras stopped sending). */
  List<String> stalledViewersStillOpen() throws IOException {
    List<String> open = new ArrayList<>();
    stalledWs.socket.setSoTimeout(10_000);
    if (!stalledWs.closedByServer()) {
      open.add("WebSocket");
    }
    if (!stalledMjpeg.closedByServer()) {
      open.add("MJPEG");
    }
    stalledWs.close();
    stalledMjpeg.close();
    return open;
  }

  private void spawn(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (RuntimeException | Error e) {
        problem(name + " died: " + e);
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  void problem(String what) {
    if (problemCount.incrementAndGet() <= MAX_PROBLEMS) {
      problems.add(what);
    }
  }

  private static ThreadLocalRandom random() {
    return ThreadLocalRandom.current();
  }

  private static void pause(int minMs, int maxMs) {
    try {
      Thread.sleep(random().nextInt(minMs, maxMs + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] nextFrame(String id) {
    return frames.next(id, random().nextInt(frames.baseCount()));
  }

  // ---- cameras

  private void framedCamera(String id) {
    FakeCamera previous = null;
    while (running) {
      FakeCamera cam = null;
      try {
        cam = FakeCamera.framed(relay.tcpPort(), id, null, Hello.CONTROL).answerControl(json -> "{\"ok\":true}");
        cameraConnections.incrementAndGet();
        cam.awaitWelcome();
        if (previous != null) {
          previous.close(); // it was replaced (BYE 10) when this one said HELLO
          previous = null;
        }
        int n = random().nextInt(1, 31);
        for (int i = 0; i < n && running; i++) {
          cam.sendFrame(nextFrame(id));
          framesSent.incrementAndGet();
          pause(5, 20);
        }
        int end = random().nextInt(6);
        switch (end) {
          case 0 -> {
            cam.send(Message.bye(0, "soak"));
            cam.close();
          }
          case 1 -> cam.close();
          case 2 -> cam.abort();
          case 3, 4 -> {
            byte[] jpeg = nextFrame(id);
            int total = Message.HEADER_LENGTH + jpeg.length;
            cam.sendPartialFrame(jpeg, random().nextInt(1, total));
            framesCut.incrementAndGet();
            if (end == 3) {
              cam.close();
            } else {
              cam.abort();
            }
          }
          default -> previous = cam; // left open: the next connection replaces it
        }
      } catch (Exception | AssertionError e) {
        clientError(id + " camera", e);
        closeQuietly(cam);
      }
      pause(1, 10);
    }
    closeQuietly(previous);
  }

  private void rawCamera() {
    while (running) {
      int mode = random().nextInt(10);
      try {
        if (mode < 6) {
          try (Socket s = connect(relay.tcpPort(), 10_000)) {
            cameraConnections.incrementAndGet();
            s.getOutputStream().write(nextFrame(RAW_ID));
            s.shutdownOutput();
            framesSent.incrementAndGet();
            drainUntilClosed(s); // the relay read it all before the next connection starts
          }
        } else if (mode < 8) {
          try (FakeCamera cam = FakeCamera.raw(relay.tcpPort())) {
            cameraConnections.incrementAndGet();
            int n = random().nextInt(2, 11);
            for (int i = 0; i < n && running; i++) {
              cam.sendFrame(nextFrame(RAW_ID));
              framesSent.incrementAndGet();
              pause(5, 20);
            }
          }
        } else {
          FakeCamera cam = FakeCamera.raw(relay.tcpPort());
          cameraConnections.incrementAndGet();
          byte[] jpeg = nextFrame(RAW_ID);
          cam.sendPartialFrame(jpeg, random().nextInt(2, jpeg.length - 1));
          framesCut.incrementAndGet();
          if (mode == 8) {
            cam.close();
          } else {
            cam.abort();
          }
        }
      } catch (Exception | AssertionError e) {
        clientError("raw camera", e);
      }
      pause(5, 25);
    }
  }

  private void wsCamera() {
    while (running) {
      RawWs cam = null;
      try {
        cam = RawWs.open(relay.wsPort(), "/ingest/" + WS_ID);
        cameraConnections.incrementAndGet();
        if (!cam.statusLine.contains("101")) {
          problem("WebSocket camera handshake answered " + cam.statusLine);
        }
        int n = random().nextInt(1, 31);
        for (int i = 0; i < n && running; i++) {
          cam.sendFrame(2, nextFrame(WS_ID));
          framesSent.incrementAndGet();
          pause(5, 20);
        }
        switch (random().nextInt(3)) {
          case 0 -> {
            cam.sendFrame(8, new byte[] {0x03, (byte) 0xE8}); // close 1000
            cam.close();
          }
          case 1 -> {
            byte[] whole = WsBadInputTest.clientFrame(2, nextFrame(WS_ID));
            cam.socket.getOutputStream().write(whole, 0, random().nextInt(1, whole.length));
            framesCut.incrementAndGet();
            abort(cam.socket);
          }
          default -> abort(cam.socket);
        }
      } catch (Exception | AssertionError e) {
        clientError("WebSocket camera", e);
        closeQuietly(cam);
      }
      pause(1, 10);
    }
  }

  // ---- viewers

  private void verified(String id, byte[] frame, boolean mjpeg, long[] lastSeq) {
    String bad = frames.verify(id, frame);
    if (bad != null) {
      problem((mjpeg ? "MJPEG" : "WebSocket") + " viewer of '" + id + "': " + bad);
      return;
    }
    framesVerified.incrementAndGet();
    if (mjpeg) {
      framesVerifiedMjpeg.incrementAndGet();
    }
    if (lastSeq != null) {
      long seq = TaggedFrames.seqOf(TaggedFrames.tagOf(frame));
      if (seq < lastSeq[0]) {
        outOfOrder.incrementAndGet();
      }
      lastSeq[0] = seq;
    }
  }

  private void longLivedWs(String id) {
    AtomicLong count = longLivedFrames.computeIfAbsent("ws " + id, k -> new AtomicLong());
    long[] lastSeq = {0};
    while (running) {
      try (RawWs ws = RawWs.open(relay.wsPort(), "/cam/" + id,
          id.hashCode() % 2 == 0 ? Map.of("Sec-WebSocket-Protocol", "camrelay.v1") : Map.of(), 0)) {
        longLived.add(ws);
        ws.socket.setSoTimeout(0);
        while (running) {
          byte[] f = ws.nextBinary();
          verified(id, f, false, lastSeq);
          count.incrementAndGet();
        }
      } catch (IOException e) {
        if (running) {
          longLivedReconnects.incrementAndGet();
        }
      }
    }
  }

  private void longLivedMjpeg(String id) {
    AtomicLong count = longLivedFrames.computeIfAbsent("mjpeg " + id, k -> new AtomicLong());
    long[] lastSeq = {0};
    while (running) {
      try (MjpegClient c = MjpegClient.stream(relay.httpPort(), id, 0, 0)) {
        longLived.add(c);
        if (c.status() != 200) {
          problem("long-lived MJPEG viewer of '" + id + "' got status " + c.status());
          return;
        }
        while (running) {
          byte[] f = c.readPart();
          verified(id, f, true, lastSeq);
          count.incrementAndGet();
        }
      } catch (IOException e) {
        if (running) {
          longLivedReconnects.incrementAndGet();
        }
      }
    }
  }

  private void churnWsViewers() {
    while (running) {
      String id = ALL_IDS[random().nextInt(ALL_IDS.length)];
      boolean v1 = random().nextBoolean();
      RawWs ws = null;
      try {
        ws = RawWs.open(relay.wsPort(), "/cam/" + id,
            v1 ? Map.of("Sec-WebSocket-Protocol", "camrelay.v1") : Map.of(), 0);
        viewerConnections.incrementAndGet();
        if (!ws.statusLine.contains("101")) {
          problem("WebSocket viewer handshake answered " + ws.statusLine);
          ws.close();
          continue;
        }
        ws.socket.setSoTimeout(3000);
        if (v1 && random().nextInt(5) == 0) {
          ws.sendText("{\"type\":\"control\",\"id\":1,\"command\":{\"cmd\":\"status\"}}");
        }
        int n = random().nextInt(5);
        for (int i = 0; i < n; i++) {
          byte[] f = readBinaryWhileRunning(ws);
          if (f == null) {
            break;
          }
          verified(id, f, false, null);
        }
        switch (random().nextInt(4)) {
          case 0 -> abort(ws.socket);
          case 1 -> {
            ws.sendFrame(8, new byte[] {0x03, (byte) 0xE8});
            ws.close();
          }
          case 2 -> {
            ws.socket.getInputStream().readNBytes(random().nextInt(1, 200)); // leave inside a frame
            abort(ws.socket);
          }
          default -> ws.close();
        }
      } catch (SocketTimeoutException e) {
        closeQuietly(ws); // the camera was between connections: fine
      } catch (IOException e) {
        clientError("WebSocket viewer", e);
        closeQuietly(ws);
      }
      pause(1, 5);
    }
  }

  /** The next binary message, skipping text (v1 status messages keep coming); null once the soak is stopping. */
  private byte[] readBinaryWhileRunning(RawWs ws) throws IOException {
    while (running) {
      RawWs.Frame f = ws.readFrame();
      if (f.opcode() == 2) {
        return f.payload();
      }
      if (f.opcode() == 8) {
        throw new java.io.EOFException("the relay closed the WebSocket");
      }
      if (f.opcode() == 9) {
        ws.sendFrame(10, f.payload());
      }
    }
    return null;
  }

  private void churnMjpegViewers() {
    while (running) {
      String id = ALL_IDS[random().nextInt(ALL_IDS.length)];
      MjpegClient c = null;
      try {
        c = MjpegClient.stream(relay.httpPort(), id, 0, 3000);
        viewerConnections.incrementAndGet();
        if (c.status() != 200) {
          problem("MJPEG viewer of '" + id + "' got status " + c.status());
          c.close();
          continue;
        }
        int n = random().nextInt(5);
        for (int i = 0; i < n; i++) {
          verified(id, c.readPart(), true, null);
        }
        switch (random().nextInt(3)) {
          case 0 -> c.abort();
          case 1 -> {
            c.skip(random().nextInt(1, 300)); // leave inside a part
            c.abort();
          }
          default -> c.close();
        }
      } catch (SocketTimeoutException e) {
        closeQuietly(c);
      } catch (IOException e) {
        clientError("MJPEG viewer", e);
        closeQuietly(c);
      }
      pause(1, 5);
    }
  }

  // ---- garbage

  private void garbage() {
    byte[] tls;
    try {
      tls = AbuseFixture.tlsClientHello();
    } catch (Exception e) {
      problem("no TLS ClientHello: " + e);
      return;
    }
    byte[] helloHeader = MessageEncoder.header(Message.hello(new Hello(1, 0, "garbage", null, ""))).array();
    while (running) {
      int kind = random().nextInt(10);
      int port = kind < 6 ? relay.tcpPort() : kind < 8 ? relay.wsPort() : relay.httpPort();
      byte[] payload = switch (kind) {
        case 0 -> randomNonSignature();
        case 1 -> "GET / HTTP/1.1\r\nHost: cam\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        case 2 -> tls;
        case 3 -> new byte[0]; // silent until the handshake timeout
        case 4 -> concat(helloHeader, randomNonSignature()); // a HELLO header announcing bytes that are junk
        case 5 -> new byte[] {'C', 'R'}; // undecided
        case 6 -> randomNonSignature();
        case 7 -> "GET /cam/x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII);
        case 8 -> concat(randomNonSignature(), "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        default -> "GET /..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
      };
      try {
        garbageSlots.acquire();
      } catch (InterruptedException e) {
        return;
      }
      Socket s;
      try {
        s = connect(port, 20_000);
        garbageConnections.incrementAndGet();
        if (payload.length > 0) {
          s.getOutputStream().write(payload);
        }
      } catch (IOException e) {
        garbageSlots.release();
        clientError("garbage", e);
        continue;
      }
      garbageCheckers.execute(() -> {
        try {
          if (drainUntilClosed(s)) {
            garbageClosedByRelay.incrementAndGet();
          } else {
            problem("the relay left a garbage connection to port " + port + " open (kind " + kind + ")");
          }
        } finally {
          closeQuietly(s);
          garbageSlots.release();
        }
      });
      pause(5, 20);
    }
  }

  private static byte[] randomNonSignature() {
    byte[] b = new byte[random().nextInt(1, 600)];
    random().nextBytes(b);
    b[0] = (byte) random().nextInt(0x00, 0x10); // starts no known signature (JPEG, CRLY, HTTP, TLS, SSH)
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- plumbing

  private void clientError(String what, Throwable e) {
    if (running) {
      clientErrors.incrementAndGet();
      if (clientErrors.get() <= 10) {
        System.out.println("soak client error (" + what + "): " + e);
      }
    }
  }

  private static Socket connect(int port, int readTimeoutMs) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(readTimeoutMs);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Reads until EOF or reset; false if the read timeout passed first. */
  private static boolean drainUntilClosed(Socket s) {
    try {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      while (in.read(buf) >= 0) {
        // discard
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static void abort(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // gone already
      }
    }
  }
}
