package dev.camrelay.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits for a condition with a generous deadline (a loaded 2-core machine is slow, never stuck): polls every 20 ms
 * and fails the test with a message saying what it waited for when the deadline passes.
 */
public final class Await {
  /** Long enough for any wait on a busy machine; a test that needs it is broken, not slow. */
  public static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 20;

  private Await() {}

  /** Waits until {@code condition} holds. */
  public static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Calls {@code probe} until its result passes {@code done}, and returns that result. */
  public static <T> T until(String what, Callable<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    T last;
    while (!done.test(last = probe.call())) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; last: " + last);
      }
      Thread.sleep(POLL_MILLIS);
    }
    return last;
  }
}
