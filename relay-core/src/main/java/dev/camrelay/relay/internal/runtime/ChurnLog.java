package dev.camrelay.relay.internal.runtime;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The connect and disconnect lines of one camera id. A camera that connects now and then gets one line per event;
 * one that churns (reconnecting, flapping, two cameras fighting over one id) gets at most one connect and one
 * disconnect line per period, and then one summary line per period while the churn lasts:
 *
 * <pre>
 * camera 'x' connected (framed from 10.0.0.7:50112)
 * camera 'x' disconnected (framed from 10.0.0.7:50112): connection closed
 * camera 'x' reconnected 37 times in the last 10 s (37 disconnects); now offline, last: framed from
 *   10.0.0.7:50388: connection closed
 * </pre>
 *
 * <p>The summary is written by the relay's timer once the period of the lines it stands for has passed, so it also
 * comes when the churn has stopped, and always ends with the camera's state. Thread-safe; lines are written under
 * this object's lock, so they appear in the order of the events.
 */
public final class ChurnLog {
  /** How long a connect or disconnect line stands for further ones of the same camera. */
  public static final long PERIOD_MS = 10_000;

  private final Logger log;
  private final long periodNanos;

  // Guarded by this.
  private ScheduledExecutorService timer;
  private long connectLineNanos;
  private long disconnectLineNanos;
  private boolean anyConnectLine;
  private boolean anyDisconnectLine;
  /** When this camera's last line (of any kind) was written. */
  private long lastLineNanos;
  /** Events since the last line that had no line of their own. */
  private int connects;
  private int disconnects;
  /** A summary was written and the period after it is not over: every event goes into the next summary. */
  private boolean churning;
  private boolean flushScheduled;
  private String cameraId;
  private boolean connectedNow;
  private String lastConnect;
  private String lastDisconnect;

  public ChurnLog(Logger log) {
    this(log, PERIOD_MS);
  }

  public ChurnLog(Logger log, long periodMillis) {
    this.log = log;
    this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
  }

  /**
   * A source attached; {@code how} is e.g. {@code "framed from 10.0.0.7:50112, control"}. {@code timer} (the relay's)
   * writes the summary later; once it no longer runs, a summary is written at once.
   */
  public synchronized void connected(ScheduledExecutorService timer, String cameraId, String how) {
    long now = begin(timer, cameraId);
    connectedNow = true;
    lastConnect = how;
    if (calm() && (!anyConnectLine || now - connectLineNanos >= periodNanos)) {
      anyConnectLine = true;
      connectLineNanos = now;
      lastLineNanos = now;
      log.info("camera '{}' connected ({})", cameraId, how);
      return;
    }
    connects++;
    suppressed(now, connectLineNanos);
  }

  /** The source detached; {@code how} as for {@link #connected}, {@code reason} why it left. */
  public synchronized void disconnected(ScheduledExecutorService timer, String cameraId, String how, String reason) {
    long now = begin(timer, cameraId);
    connectedNow = false;
    lastDisconnect = how + ": " + reason;
    if (calm() && (!anyDisconnectLine || now - disconnectLineNanos >= periodNanos)) {
      anyDisconnectLine = true;
      disconnectLineNanos = now;
      lastLineNanos = now;
      log.info("camera '{}' disconnected ({}): {}", cameraId, how, reason);
      return;
    }
    disconnects++;
    suppressed(now, disconnectLineNanos);
  }

  /** No summary pending or just written: an event may have a line of its own (so lines keep the events' order). */
  private boolean calm() {
    return !churning && connects + disconnects == 0;
  }

  private long begin(ScheduledExecutorService timer, String cameraId) {
    this.timer = timer;
    this.cameraId = cameraId;
    return System.nanoTime();
  }

  /** An event went without a line: make sure a summary follows once the period of that kind's line is over. */
  private void suppressed(long now, long lineNanos) {
    if (!flushScheduled) {
      flushAfter(Math.max(0, lineNanos + periodNanos - now));
    }
  }

  private void flushAfter(long delayNanos) {
    flushScheduled = true;
    try {
      timer.schedule(this::flush, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      flushScheduled = false; // the relay is closing: say it now
      summarise(System.nanoTime());
    }
  }

  private synchronized void flush() {
    flushScheduled = false;
    if (connects + disconnects == 0) {
      churning = false; // a quiet period: the next event gets its own line again
      return;
    }
    summarise(System.nanoTime());
    churning = true;
    flushAfter(periodNanos);
  }

  private void summarise(long now) {
    if (connects + disconnects == 0) {
      return;
    }
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(now - lastLineNanos + 999_999_999L));
    String what = connects > 0
        ? "reconnected " + times(connects) + " in the last " + seconds + " s (" + disconnects + " disconnect"
            + (disconnects == 1 ? "" : "s") + ")"
        : "disconnected " + times(disconnects) + " more in the last " + seconds + " s";
    String state = connectedNow ? "now connected (" + lastConnect + ")" : "now offline, last: " + lastDisconnect;
    log.warn("camera '{}' {}; {}", cameraId, what, state);
    connects = 0;
    disconnects = 0;
    lastLineNanos = now;
  }

  /** True when no summary is pending or was written less than a period ago: the next event gets its own line. */
  synchronized boolean quiet() {
    return !churning && !flushScheduled;
  }

  private static String times(int n) {
    return n == 1 ? "1 time" : n + " times";
  }
}
