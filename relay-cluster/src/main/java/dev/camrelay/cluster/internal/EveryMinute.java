package dev.camrelay.cluster.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Rate limit for log lines under floods: {@link #due(String)} is true at most once a minute per key. */
final class EveryMinute {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

  boolean due(String key) {
    long now = System.nanoTime();
    boolean[] due = {false};
    last.compute(key, (k, t) -> {
      if (t == null || now - t >= MINUTE) {
        due[0] = true;
        return now;
      }
      return t;
    });
    if (last.size() > 4096) {
      last.clear(); // bounded: a flood of keys only repeats a few lines
    }
    return due[0];
  }
}
