package dev.camrelay.relay.internal.hub;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether an on-demand camera should stream: on when the first output arrives, off once none has been attached for
 * the linger time (so a viewer reloading a page does not restart the camera). Guarded by the camera's lock.
 */
final class OnDemand {
  private final ScheduledExecutorService timer;
  private final long lingerMs;
  private boolean streaming;
  private ScheduledFuture<?> lingerStop;

  OnDemand(ScheduledExecutorService timer, long lingerMs) {
    this.timer = timer;
    this.lingerMs = lingerMs;
  }

  long lingerMs() {
    return lingerMs;
  }

  boolean streaming() {
    return streaming;
  }

  /** A new source attached; returns whether it should stream now. */
  boolean attached(boolean onDemand, boolean wanted) {
    cancelLinger();
    streaming = !onDemand || wanted;
    return streaming;
  }

  void detached() {
    streaming = false;
    cancelLinger();
  }

  /**
   * Re-evaluates after outputs came or went. Returns {@code TRUE} to start streaming now, {@code FALSE} never (a stop
   * is scheduled with {@code stop} after the linger), null when nothing changes.
   */
  Boolean update(boolean wanted, Runnable stopLater) {
    if (wanted) {
      cancelLinger();
      if (!streaming) {
        streaming = true;
        return Boolean.TRUE;
      }
    } else if (streaming && lingerStop == null) {
      lingerStop = timer.schedule(stopLater, lingerMs, TimeUnit.MILLISECONDS);
    }
    return null;
  }

  /** The linger ran out: returns whether to stop now (still unwatched and streaming). */
  boolean lingerExpired(boolean wanted) {
    lingerStop = null;
    if (wanted || !streaming) {
      return false;
    }
    streaming = false;
    return true;
  }

  private void cancelLinger() {
    if (lingerStop != null) {
      lingerStop.cancel(false);
      lingerStop = null;
    }
  }
}
