package dev.camrelay.relay.internal.runtime;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import org.slf4j.Logger;

/**
 * Logs at most one line per key per period, so a flood of garbage connections or bad frames cannot flood the log;
 * the next line that gets through says how many were suppressed.
 */
public final class LogLimiter {
  private static final int MAX_KEYS = 1024;

  private final Logger log;
  private final long periodNanos;
  /** Key -> {last logged nanos, suppressed}; least recently used keys go first, so a flood of keys stays bounded. */
  private final Cache<String, long[]> state;

  public LogLimiter(Logger log, long periodMillis) {
    this.log = log;
    this.periodNanos = periodMillis * 1_000_000L;
    this.state = CacheBuilder.newBuilder().maximumSize(MAX_KEYS).build();
  }

  public void warn(String key, String message) {
    String line = admit(key, message);
    if (line != null) {
      log.warn(line);
    }
  }

  public void info(String key, String message) {
    String line = admit(key, message);
    if (line != null) {
      log.info(line);
    }
  }

  private synchronized String admit(String key, String message) {
    long now = System.nanoTime();
    long[] s = state.getIfPresent(key);
    if (s == null) {
      state.put(key, new long[] {now, 0});
      return message;
    }
    if (now - s[0] < periodNanos) {
      s[1]++;
      return null;
    }
    long suppressed = s[1];
    s[0] = now;
    s[1] = 0;
    return suppressed == 0 ? message : message + " (" + suppressed + " more like this suppressed)";
  }
}
