package dev.camrelay.relay.internal.output.websocket;

/** A token bucket: {@code perSecond} messages per second, bursts up to {@code perSecond}. Thread-safe. */
final class ControlRateLimiter {
  private final int perSecond;
  private double tokens;
  private long lastNanos;

  ControlRateLimiter(int perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.lastNanos = System.nanoTime();
  }

  synchronized boolean tryAcquire(long nowNanos) {
    tokens = Math.min(perSecond, tokens + (nowNanos - lastNanos) / 1e9 * perSecond);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  int perSecond() {
    return perSecond;
  }
}
