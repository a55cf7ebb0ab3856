package dev.camrelay.cli;

import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.relay.CameraRelay;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The main command's run loop: once the relay is listening it prints the banner, starts the demo camera and the
 * status lines, and waits for {@link #shutdown()} (Ctrl-C, SIGTERM or a test); then it stops everything in reverse.
 */
final class RelayLifecycle {
  private final CompletableFuture<CameraRelay> started = new CompletableFuture<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * Runs a started relay until {@link #shutdown()} and closes it.
   *
   * @param cluster this relay's cluster membership, closed before the relay; null when alone
   * @param demoCamera starts the demo camera, or null for none
   * @param statusInterval how often to print the status line; zero for never
   */
  void runUntilStopped(CameraRelay relay, AutoCloseable cluster, PrintWriter out, StartupBanner banner,
                       Supplier<SimulatedCamera> demoCamera, Duration statusInterval) throws InterruptedException {
    SimulatedCamera demo = null;
    StatusReporter status = null;
    Thread hook = new Thread(this::shutdownAndWait, "camrelay-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      banner.print(out);
      if (demoCamera != null) {
        demo = demoCamera.get();
      }
      if (!statusInterval.isZero()) {
        status = new StatusReporter(relay, out, System.console() != null, statusInterval);
        status.start();
      }
      started.complete(relay);
      stop.await();
    } finally {
      if (status != null) {
        status.close();
      }
      if (demo != null) {
        demo.close();
      }
      closeQuietly(cluster); // other nodes see this node's cameras leave before its ports close
      relay.close();
      out.flush();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is what stopped us
      }
    }
  }

  private static void closeQuietly(AutoCloseable cluster) {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (Exception e) {
      // leaving is best effort: the other nodes time this node out anyway
    }
  }

  /** Completes with the running relay once every port is bound (tests use it). */
  CompletableFuture<CameraRelay> started() {
    return started;
  }

  /** Says the relay will not run (any more); callers of {@link #started()} that still wait fail. */
  void notRunning() {
    started.completeExceptionally(new IllegalStateException("the relay is not running"));
  }

  /** Stops a running relay; {@link #runUntilStopped} then returns. */
  void shutdown() {
    stop.countDown();
  }

  private void shutdownAndWait() {
    stop.countDown();
    try {
      stopped.await(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
