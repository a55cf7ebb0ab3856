package dev.camrelay.cli.simulate;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Tells a simulated camera's threads to stop and wakes them early from their waits (pacing, reconnect backoff,
 * an idle on-demand camera). Thread-safe.
 */
final class StopSignal {
  private final Object lock = new Object();
  private volatile boolean stopped;

  boolean stopped() {
    return stopped;
  }

  /** Stops for good and wakes every waiter. */
  void stop() {
    stopped = true;
    wakeUp();
  }

  /** Wakes every waiter so it looks again at what it waits for (e.g. after a control command). */
  void wakeUp() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /**
   * Waits up to {@code nanos} (at least a moment) unless stopped; a {@link #wakeUp()} ends the wait early.
   *
   * @return false if the thread was interrupted (its interrupt flag is set again)
   */
  boolean await(long nanos) {
    return awaitWhile(() -> true, nanos);
  }

  /**
   * Like {@link #await(long)}, but only while {@code waiting} holds; it is checked under the lock that
   * {@link #wakeUp()} takes, so a change followed by a wake-up is never missed.
   */
  boolean awaitWhile(BooleanSupplier waiting, long nanos) {
    synchronized (lock) {
      if (stopped || !waiting.getAsBoolean()) {
        return true;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, nanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
