package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A soak of one relay under everything at once ({@link SoakWorkload}): camera reconnect churn, viewer churn every
 * few milliseconds, never-reading viewers and garbage connections, then checks that nothing leaked and nothing a
 * viewer received was ever partial or altered.
 *
 * <p>It runs {@code camrelay.soak.seconds} seconds (default 45). For a longer soak by hand:
 *
 * <pre>
 * mvn -pl relay-core -am test -Dtest=SoakTest -Dcamrelay.soak.seconds=600 -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>Bounds checked (all after the load stopped; none is a timing assertion):
 *
 * <ul>
 *   <li>idle after the soak vs. idle right after start: live threads within +{@value #IDLE_THREAD_SLACK}, open file
 *       descriptors within +{@value #IDLE_FD_SLACK} (Linux only), heap after GC within +64 MB, no viewer left
 *       registered on any camera and only the metrics request itself open on the HTTP port;</li>
 *   <li>after {@code close()} vs. before the relay was built: no {@code camrelay-*} thread, live threads within
 *       +{@value #CLOSED_THREAD_SLACK}, file descriptors within +{@value #CLOSED_FD_SLACK}, heap within +64 MB;</li>
 *   <li>every WebSocket message and MJPEG part parsed as exactly one complete JPEG and was byte-identical to a frame
 *       its camera sent (tagged with a unique COM segment); both never-reading viewers were disconnected; every
 *       garbage connection was closed by the relay; no stack trace and no Netty leak report in the log.</li>
 * </ul>
 *
 * A summary line starting with {@code SOAK} gives the figures (in the surefire output file of this class).
 */
class SoakTest {
  static final int SECONDS = Math.max(5, Integer.getInteger("camrelay.soak.seconds", 45));
  static final int IDLE_THREAD_SLACK = 6;
  static final int IDLE_FD_SLACK = 24;
  static final int CLOSED_THREAD_SLACK = 4;
  static final int CLOSED_FD_SLACK = 16;
  static final long HEAP_SLACK = 64L * 1024 * 1024;

  private static CameraRelay newRelay() throws IOException {
    CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .handshakeTimeout(Duration.ofSeconds(3))
        .viewerStallTimeout(Duration.ofSeconds(3))
        .cameraIdleTimeout(Duration.ofSeconds(5))
        // The soak is about leaks and integrity, not limits: closes can lag behind accepts on a loaded machine.
        .maxConnections(4000)
        .maxConnectionsPerIp(4000)
        .build();
    relay.start();
    return relay;
  }

  @Test
  void relayUnderChurnGarbageAndStalledViewersLeaksNothingAndNeverDeliversAPartialFrame() throws Exception {
    TaggedFrames frames = TaggedFrames.pool(12, 3, 2);
    LogCapture log = LogCapture.keeping(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("LEAK"));
    try {
      warmUp(frames);
      awaitQuiet("warm-up relay threads ended", () -> ResourceSnapshot.take(false).threadsNamed("camrelay").isEmpty());
      ResourceSnapshot beforeStart = ResourceSnapshot.take(true);

      CameraRelay relay = newRelay();
      ResourceSnapshot idleStart;
      ResourceSnapshot idleEnd;
      SoakWorkload load = new SoakWorkload(relay, frames);
      List<String> stalledOpen;
      long metricsConnections;
      try {
        idleStart = ResourceSnapshot.take(true);
        load.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
        long stopping = System.nanoTime();
        load.stop();
        stalledOpen = load.stalledViewersStillOpen();
        System.out.println("SOAK load stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping)
            + " ms");

        awaitQuiet("no viewer left on any camera", () -> totalViewers(relay) == 0,
            () -> "viewers per camera " + viewersPerCamera(relay) + ", MJPEG viewers "
                + Metrics.scrape(relay.httpPort()).value("camrelay_http_mjpeg_viewers"));
        long[] httpConnections = {-1};
        awaitQuiet("only the metrics request open on the HTTP port", () -> {
          httpConnections[0] = (long) Metrics.scrape(relay.httpPort()).value("camrelay_http_connections");
          return httpConnections[0] <= 1;
        });
        metricsConnections = httpConnections[0];
        idleEnd = settle(idleStart, IDLE_THREAD_SLACK, IDLE_FD_SLACK);
      } finally {
        relay.close();
      }
      awaitQuiet("relay threads ended", () -> ResourceSnapshot.take(false).threadsNamed("camrelay").isEmpty());
      NettyLeaks.triggerReports();
      ResourceSnapshot afterClose = settle(beforeStart, CLOSED_THREAD_SLACK, CLOSED_FD_SLACK);

      String summary = String.format("SOAK %d s: frames sent %d complete + %d cut short, delivered %d verified"
              + " (%d WebSocket, %d MJPEG), bad %d, out of order %d; connections churned: cameras %d, viewers %d,"
              + " garbage %d (%d closed by the relay); client-side errors %d, long-lived viewer reconnects %d;"
              + " threads %d -> %d (idle %d -> %d), fds %s -> %s (idle %s -> %s), heap %d -> %d MB"
              + " (idle %d -> %d MB); log: %d WARN/ERROR lines kept, %d stack-trace lines",
          SECONDS, load.framesSent.get(), load.framesCut.get(), load.framesVerified.get(),
          load.framesVerified.get() - load.framesVerifiedMjpeg.get(), load.framesVerifiedMjpeg.get(),
          load.problemCount.get(), load.outOfOrder.get(), load.cameraConnections.get(), load.viewerConnections.get(),
          load.garbageConnections.get(), load.garbageClosedByRelay.get(), load.clientErrors.get(),
          load.longLivedReconnects.get(),
          beforeStart.threadCount(), afterClose.threadCount(), idleStart.threadCount(), idleEnd.threadCount(),
          fds(beforeStart), fds(afterClose), fds(idleStart), fds(idleEnd),
          beforeStart.heapMb(), afterClose.heapMb(), idleStart.heapMb(), idleEnd.heapMb(),
          log.lines().size(), log.stackTraceLines());
      System.out.println(summary);
      System.out.println("SOAK long-lived viewers: " + load.longLivedFrames);
      System.out.println("SOAK threads new since start: idle " + idleEnd.newThreadsSince(idleStart) + ", closed "
          + afterClose.newThreadsSince(beforeStart));

      // Integrity: nothing partial, nothing altered, nothing crossed cameras.
      assertThat(load.problems).as("problems seen during the soak").isEmpty();
      assertThat(load.framesVerified.get()).isPositive();
      load.longLivedFrames.forEach((viewer, n) -> assertThat(n.get()).as(viewer + " frames").isPositive());
      long connections = load.cameraConnections.get() + load.viewerConnections.get() + load.garbageConnections.get();
      assertThat(load.clientErrors.get()).as("client-side errors (resets, timeouts) of " + connections
          + " connections").isLessThanOrEqualTo(Math.max(20, connections / 20));
      assertThat(stalledOpen).as("never-reading viewers the relay left connected").isEmpty();
      assertThat(load.garbageClosedByRelay.get()).isEqualTo(load.garbageConnections.get());
      assertThat(metricsConnections).isLessThanOrEqualTo(1);

      // Leaks while the relay stays up.
      assertThat(idleEnd.threadCount()).as("threads idle after the soak vs. idle after start: "
          + idleEnd.newThreadsSince(idleStart)).isLessThanOrEqualTo(idleStart.threadCount() + IDLE_THREAD_SLACK);
      if (ResourceSnapshot.fdsSupported()) {
        assertThat(idleEnd.fds()).as("open file descriptors idle after the soak")
            .isLessThanOrEqualTo(idleStart.fds() + IDLE_FD_SLACK);
      }
      assertThat(idleEnd.heapBytes()).as("heap idle after the soak").isLessThan(idleStart.heapBytes() + HEAP_SLACK);

      // Leaks after close.
      assertThat(afterClose.threadsNamed("camrelay")).isEmpty();
      assertThat(afterClose.threadCount()).as("threads after close vs. before start: "
          + afterClose.newThreadsSince(beforeStart)).isLessThanOrEqualTo(beforeStart.threadCount()
          + CLOSED_THREAD_SLACK);
      if (ResourceSnapshot.fdsSupported()) {
        assertThat(afterClose.fds()).as("open file descriptors after close")
            .isLessThanOrEqualTo(beforeStart.fds() + CLOSED_FD_SLACK);
      }
      assertThat(afterClose.heapBytes()).as("heap after close").isLessThan(beforeStart.heapBytes() + HEAP_SLACK);

      assertThat(log.firstStackTraces()).as("stack traces in the log").isEmpty();
      assertThat(log.leakReports()).as("Netty leak reports").isZero();
    } finally {
      log.close();
    }
  }

  /** A few seconds of the same load on a throwaway relay, so classes, jars and JDK helper threads are loaded. */
  private static void warmUp(TaggedFrames frames) throws Exception {
    CameraRelay relay = newRelay();
    try {
      SoakWorkload load = new SoakWorkload(relay, frames);
      load.start();
      Thread.sleep(3000);
      load.stop();
      load.closeStalledViewers();
    } finally {
      relay.close();
    }
  }

  /**
   * Takes snapshots until threads and descriptors are within the slack of {@code reference} (sockets and threads
   * end asynchronously), or gives up after a while and returns the last one for the assertions to report.
   */
  private static ResourceSnapshot settle(ResourceSnapshot reference, int threadSlack, int fdSlack)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    ResourceSnapshot s = ResourceSnapshot.take(true);
    while (System.nanoTime() < deadline
        && (s.threadCount() > reference.threadCount() + threadSlack
            || (s.fds() >= 0 && s.fds() > reference.fds() + fdSlack))) {
      Thread.sleep(200);
      s = ResourceSnapshot.take(true);
    }
    return s;
  }

  private static int totalViewers(CameraRelay relay) {
    int n = 0;
    for (CameraStats c : relay.cameras()) {
      n += c.viewers();
    }
    return n;
  }

  private static String fds(ResourceSnapshot s) {
    return s.fds() < 0 ? "n/a" : String.valueOf(s.fds());
  }

  private static Map<String, Integer> viewersPerCamera(CameraRelay relay) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (CameraStats c : relay.cameras()) {
      out.put(c.id(), c.viewers());
    }
    return out;
  }

  private static void awaitQuiet(String what, BooleanSupplier condition) throws InterruptedException {
    awaitQuiet(what, condition, () -> "");
  }

  private static void awaitQuiet(String what, BooleanSupplier condition, java.util.function.Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + " " + state.get());
      }
      Thread.sleep(50);
    }
  }

  /** A tiny Prometheus text scrape over a raw socket (no client threads left behind). */
  record Metrics(Map<String, Double> values) {
    static Metrics scrape(int port) {
      try (MjpegClient c = MjpegClient.connect(port, 0, 20_000)) {
        c.send("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        if (c.readHead() != 200) {
          throw new AssertionError("/metrics answered " + c.head);
        }
        Map<String, Double> values = new java.util.HashMap<>();
        for (String line : c.body().split("\n")) {
          if (!line.startsWith("#") && !line.isBlank() && !line.contains("{")) {
            String[] parts = line.split(" ");
            values.put(parts[0], Double.parseDouble(parts[1]));
          }
        }
        return new Metrics(values);
      } catch (IOException e) {
        throw new AssertionError("cannot scrape /metrics: " + e);
      }
    }

    double value(String name) {
      Double v = values.get(name);
      if (v == null) {
        throw new AssertionError("no " + name + " in /metrics: " + values.keySet());
      }
      return v;
    }
  }
}
