package dev.camrelay.relay.internal.hub;

/** Frames and bytes per second over the last two seconds, in 100 ms buckets. Thread-safe. */
final class RateMeter {
  private static final long BUCKET_NANOS = 100_000_000L;
  private static final int BUCKETS = 20;

  private final long[] bucketIds = new long[BUCKETS];
  private final long[] frames = new long[BUCKETS];
  private final long[] bytes = new long[BUCKETS];

  RateMeter() {
    java.util.Arrays.fill(bucketIds, Long.MIN_VALUE);
  }

  synchronized void record(long nanos, int size) {
    long id = Math.floorDiv(nanos, BUCKET_NANOS);
    int slot = (int) Math.floorMod(id, (long) BUCKETS);
    if (bucketIds[slot] != id) {
      bucketIds[slot] = id;
      frames[slot] = 0;
      bytes[slot] = 0;
    }
    frames[slot]++;
    bytes[slot] += size;
  }

  /** Returns {frames per second, kilobits per second}. */
  synchronized double[] rates(long nanos) {
    long now = Math.floorDiv(nanos, BUCKET_NANOS);
    long f = 0;
    long b = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (bucketIds[i] > now - BUCKETS && bucketIds[i] <= now) {
        f += frames[i];
        b += bytes[i];
      }
    }
    double seconds = BUCKETS * BUCKET_NANOS / 1e9;
    return new double[] {round1(f / seconds), round1(b * 8 / 1000.0 / seconds)};
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
