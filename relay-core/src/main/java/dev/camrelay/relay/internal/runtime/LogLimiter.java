package dev.camrelay.relay.internal.runtime;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs at most one line per key per period, so a flood of garbage connections or bad frames cannot flood the log;
 * the next line that gets through says how many were suppressed.
 */
public final class LogLimiter {
  private static final int MAX_KEYS = 1024;

  private final Logger log;
  private final long periodNanos;
  private final Map<String, long[]> state = new HashMap<>(); // key -> {last logged nanos, suppressed}

  public LogLimiter(Logger log, long periodMillis) {
    this.log = log;
    this.periodNanos = periodMillis * 1_000_000L;
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
    long[] s = state.get(key);
    if (s == null) {
      if (state.size() >= MAX_KEYS) {
        state.clear();
      }
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
