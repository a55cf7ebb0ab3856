package dev.camrelay.relay.internal.source.pull;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
 * {@code [0, min(cap, base * 2^n)]}, so many pullers that lost the same camera do not reconnect in lock-step.
 * Not thread-safe; one instance per puller.
 */
final class Backoff {
  private final long baseMillis;
  private final long capMillis;
  private final Random random;
  private int attempt;

  Backoff(Duration base, Duration cap, Random random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap, got base " + base + " cap " + cap);
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  /** The upper bound of the next delay, before jitter. */
  long ceilingMillis() {
    // Shift at most 30 places: base * 2^30 already exceeds any sensible cap, and this cannot overflow.
    long ceiling = baseMillis << Math.min(attempt, 30);
    return ceiling <= 0 || ceiling > capMillis ? capMillis : ceiling;
  }

  /** The delay before the next attempt; each call doubles the ceiling up to the cap. */
  Duration next() {
    long ceiling = ceilingMillis();
    attempt++;
    return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
  }

  /** Called after a connection that worked: the next failure starts from the base again. */
  void reset() {
    attempt = 0;
  }

  int attempts() {
    return attempt;
  }
}
