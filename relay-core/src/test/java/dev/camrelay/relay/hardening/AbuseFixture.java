package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraListener;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import io.netty.util.ResourceLeakDetector;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One fresh relay per test (all three ports, loopback, a short handshake timeout so slow-client cases end quickly),
 * a {@link Canary} camera with viewers running beside the abuse, and the relay's log captured. After each test:
 * the canary still flows, the log has no stack trace, and Netty's leak detector (paranoid: every buffer tracked)
 * reported no leaked buffer.
 */
abstract class AbuseFixture {
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);
  static final long LOG_PERIOD_MS = 10_000;
  static final TaggedFrames FRAMES = TaggedFrames.pool(8, 2, 1);
  private static ResourceLeakDetector.Level previousLeakLevel;

  CameraRelay relay;
  Canary canary;
  LogCapture log;
  final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
  private long startedNanos;

  @BeforeAll
  static void trackEveryBuffer() {
    previousLeakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restoreLeakLevel() {
    ResourceLeakDetector.setLevel(previousLeakLevel);
  }

  /** Subclasses may tune the builder (the fixture has already set loopback, ephemeral ports and timeouts). */
  CameraRelay.Builder configure(CameraRelay.Builder builder) {
    return builder;
  }

  @BeforeEach
  void startRelayAndCanary() throws Exception {
    log = LogCapture.all();
    relay = configure(CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .handshakeTimeout(HANDSHAKE_TIMEOUT)).build();
    relay.start();
    relay.onCameraEvent(new CameraListener() {
      @Override
      public void onConnected(CameraStats camera) {}

      @Override
      public void onDisconnected(String cameraId, String reason) {
        disconnects.add(cameraId + ": " + reason);
      }
    });
    canary = Canary.start(relay, FRAMES);
    startedNanos = System.nanoTime();
  }

  @AfterEach
  void canaryStillFlowsAndNothingLeaked() throws Exception {
    try {
      if (canary != null) {
        canary.assertFlowing("after the abuse");
        canary.close();
      }
    } finally {
      if (relay != null) {
        relay.close();
      }
      NettyLeaks.triggerReports();
      log.close();
    }
    assertThat(log.firstStackTraces()).as("stack traces in the relay's log").isEmpty();
    assertThat(log.linesContaining("LEAK:")).as("Netty leak reports").isEmpty();
    for (String line : log.lines()) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw new AssertionError("log line with a control character (peer bytes copied into the log?): "
              + line.replaceAll("\\p{Cntrl}", "?"));
        }
      }
    }
  }

  /**
   * The most log lines one limited kind may produce since the test started: one per period, plus the first.
   * (Rate-limited loggers print the first line at once and at most one more per period.)
   */
  long allowedLinesPerKind() {
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    return 1 + elapsedMs / LOG_PERIOD_MS + 1;
  }

  /** Waits for a camera-disconnected event of {@code cameraId} and returns its reason. */
  String awaitDisconnect(String cameraId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String e = disconnects.poll(100, TimeUnit.MILLISECONDS);
      if (e != null && e.startsWith(cameraId + ": ")) {
        return e.substring(cameraId.length() + 2);
      }
    }
    throw new AssertionError("camera '" + cameraId + "' did not disconnect");
  }

  CameraStats stats(String id) {
    return relay.cameras().stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no camera '" + id + "' in " + relay.cameras()));
  }

  /** Log lines of one kind, for rate-limit assertions. */
  List<String> logLines(String... fragments) {
    return log.linesContaining(fragments);
  }

  /** A real TLS 1.2/1.3 ClientHello record, as a browser or curl would send first. */
  static byte[] tlsClientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("camrelay.test", 443);
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    return hello;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
