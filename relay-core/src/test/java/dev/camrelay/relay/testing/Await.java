package dev.camrelay.relay.testing;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that becomes true asynchronously; the 10 s limit only prevents hangs. */
public final class Await {
  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, java.time.Duration.ofSeconds(10), condition);
  }

  /** For conditions that wait on an external program's start-up (a daemon connecting, decoding, writing files). */
  public static void until(String what, java.time.Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what);
      }
    }
  }

  public static <T> T value(String what, Supplier<T> supplier, java.util.function.Predicate<T> ok) {
    Object[] last = new Object[1];
    until(what, () -> {
      T v = supplier.get();
      last[0] = v;
      return ok.test(v);
    });
    @SuppressWarnings("unchecked")
    T v = (T) last[0];
    return v;
  }
}
