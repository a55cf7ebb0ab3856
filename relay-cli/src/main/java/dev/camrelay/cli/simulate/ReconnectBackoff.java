package dev.camrelay.cli.simulate;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential reconnect backoff: 0.25 s doubling to 5 s, each wait with jitter (half to all of it). */
final class ReconnectBackoff {
  private static final long FIRST_MILLIS = 250;
  private static final long MAX_MILLIS = 5000;

  private long millis = FIRST_MILLIS;
  private boolean failureAnnounced;

  /** After a connection got through: the next failure waits the shortest time again and is announced again. */
  void reset() {
    millis = FIRST_MILLIS;
    failureAnnounced = false;
  }

  /** True for the first failure since the last {@link #reset()} (worth a warning; the rest are debug lines). */
  boolean firstFailure() {
    boolean first = !failureAnnounced;
    failureAnnounced = true;
    return first;
  }

  /** How long to wait before the next attempt, in milliseconds (at least 1); doubles the following wait. */
  long next() {
    long wait = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    millis = Math.min(MAX_MILLIS, millis * 2);
    return Math.max(1, wait);
  }
}
