package dev.camrelay.cli.simulate;

import java.util.concurrent.TimeUnit;

/** Paces sending at a frame rate without drift; after a long stall it resynchronizes instead of bursting. */
final class Pacer {
  private final long intervalNanos;
  private final StopSignal stop;
  private long next;

  /** {@code fps} 0 means no pacing: as fast as the relay takes frames. */
  Pacer(double fps, StopSignal stop) {
    this.intervalNanos = fps > 0 ? (long) (1e9 / fps) : 0;
    this.stop = stop;
    this.next = System.nanoTime();
  }

  /** Starts the schedule afresh from now (after a pause in sending). */
  void reset() {
    next = System.nanoTime();
  }

  /** Waits until the next frame is due; returns early when the camera stops or the thread is interrupted. */
  void await() {
    if (intervalNanos == 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - next > TimeUnit.SECONDS.toNanos(1)) {
      next = now;
    }
    long wait;
    while ((wait = next - System.nanoTime()) > 0 && !stop.stopped()) {
      if (!stop.await(wait)) {
        return;
      }
    }
    next += intervalNanos;
  }
}
