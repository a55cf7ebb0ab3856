package dev.camrelay.cli.bench;

/** Wall-clock milliseconds with sub-millisecond resolution (like performance.timeOrigin + performance.now()). */
final class BenchClock {
  private static final long BASE_MILLIS = System.currentTimeMillis();
  private static final long BASE_NANOS = System.nanoTime();

  private BenchClock() {}

  static double nowMillis() {
    return toMillis(System.nanoTime());
  }

  /** Converts a System.nanoTime() reading to this clock. */
  static double toMillis(long nanoTime) {
    return BASE_MILLIS + (nanoTime - BASE_NANOS) / 1e6;
  }
}
