package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A well-behaved camera and its viewers, running next to whatever a test throws at the relay: a framed camera
 * ({@value #ID}) streaming tagged frames over TCP, a WebSocket viewer and (when the HTTP port is on) an MJPEG
 * viewer, each verifying every frame it receives. {@link #assertFlowing} proves the abuse took nobody else down.
 */
final class Canary implements AutoCloseable {
  static final String ID = "canary";
  private static final long FLOW_TIMEOUT_NANOS = 30_000_000_000L;

  private final TaggedFrames frames;
  private final FakeCamera camera;
  private final RawWs ws;
  private final MjpegClient mjpeg;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong wsFrames = new AtomicLong();
  private final AtomicLong mjpegFrames = new AtomicLong();
  private volatile boolean running = true;
  private volatile String problem;

  private Canary(CameraRelay relay, TaggedFrames frames) throws Exception {
    this.frames = frames;
    camera = FakeCamera.framed(relay.tcpPort(), ID, null, 0);
    camera.awaitWelcome();
    sendOne();
    ws = RawWs.open(relay.wsPort(), "/cam/" + ID);
    assertThat(ws.statusLine).contains("101");
    ws.socket.setSoTimeout(0);
    mjpeg = relay.httpPort() > 0 ? MjpegClient.stream(relay.httpPort(), ID, 0, 0) : null;
    if (mjpeg != null) {
      assertThat(mjpeg.status()).isEqualTo(200);
    }
    thread("canary-camera", this::stream);
    thread("canary-ws-viewer", this::readWs);
    if (mjpeg != null) {
      thread("canary-mjpeg-viewer", this::readMjpeg);
    }
  }

  static Canary start(CameraRelay relay, TaggedFrames frames) throws Exception {
    Canary c = new Canary(relay, frames);
    c.assertFlowing("at the start");
    return c;
  }

  private void thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void sendOne() throws IOException {
    camera.sendFrame(frames.next(ID, (int) sent.incrementAndGet()));
  }

  private void stream() {
    try {
      while (running) {
        sendOne();
        Thread.sleep(30);
      }
    } catch (IOException e) {
      fail("the canary camera's connection failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readWs() {
    try {
      while (running) {
        check("WebSocket", ws.nextBinary(), wsFrames);
      }
    } catch (IOException e) {
      fail("the canary's WebSocket viewer lost its connection: " + e);
    }
  }

  private void readMjpeg() {
    try {
      while (running) {
        check("MJPEG", mjpeg.readPart(), mjpegFrames);
      }
    } catch (IOException e) {
      fail("the canary's MJPEG viewer lost its connection: " + e);
    }
  }

  private void check(String kind, byte[] frame, AtomicLong counter) {
    String bad = frames.verify(ID, frame);
    if (bad != null) {
      fail("the canary's " + kind + " viewer got a bad frame: " + bad);
    } else {
      counter.incrementAndGet();
    }
  }

  private void fail(String why) {
    if (running && problem == null) {
      problem = why;
    }
  }

  /** Waits until both viewers received at least three more verified frames; fails on any problem seen so far. */
  void assertFlowing(String when) {
    awaitMore("WebSocket", wsFrames::get, when);
    if (mjpeg != null) {
      awaitMore("MJPEG", mjpegFrames::get, when);
    }
    assertThat(problem).as("canary " + when).isNull();
  }

  private void awaitMore(String kind, LongSupplier counter, String when) {
    long target = counter.getAsLong() + 3;
    long deadline = System.nanoTime() + FLOW_TIMEOUT_NANOS;
    while (counter.getAsLong() < target && problem == null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the canary's " + kind + " viewer got no new frames " + when + " (had "
            + counter.getAsLong() + ", camera sent " + sent.get() + ")");
      }
      sleep(10);
    }
    assertThat(problem).as("canary " + when).isNull();
  }

  long framesDelivered() {
    return wsFrames.get() + mjpegFrames.get();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    running = false;
    camera.close();
    ws.close();
    if (mjpeg != null) {
      mjpeg.close();
    }
    for (Thread t : threads) {
      t.interrupt();
      t.join(5000);
    }
  }
}
