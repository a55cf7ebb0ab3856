package dev.camrelay.relay.internal.hub;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputHandle;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One output's delivery state — the one place that enforces the output contract ({@link CameraOutput}): at most one
 * frame in flight, at most one waiting (newest wins), no second {@code onFrame} before {@link #ready()}, never two
 * {@code onFrame} calls at once, stall detection, and nothing delivered after detach.
 *
 * <pre>
 *            offer(f)                      ready()                       ready()
 *   IDLE ─────────────► IN FLIGHT ─────────────────────► IN FLIGHT ─────────────► IDLE
 *                         │  offer(g): waiting = g        (g delivered)   (nothing waiting)
 *                         │  offer(h): waiting = h, g skipped
 * </pre>
 *
 * <p>A {@code ready()} that arrives while {@code onFrame} is still running (on the same thread, or on another one
 * that finished the write first) is remembered and served by the delivering thread when {@code onFrame} returns, so
 * the stack never grows and calls never overlap.
 */
final class AttachedOutput implements OutputHandle {
  private static final Logger log = LoggerFactory.getLogger(AttachedOutput.class);

  final CameraOutput output;
  final Camera camera;
  /** Counted as a viewer in the camera's stats (attached by id, not by a relay-wide factory). */
  final boolean viewer;
  // Guarded by this: the handle's own monitor rather than a separate lock object, one object less to load per output
  // and frame (outputs hold the handle but never lock it). Counted here rather than in adders: the monitor is taken
  // for every frame anyway.
  private long delivered;
  private long skipped;
  private boolean inFlight;
  private CameraFrame waiting;
  /** The publication order of the newest frame this output was given or holds waiting; older or equal ones are not taken. */
  private long newestOrder;
  /**
   * The thread in {@link #deliverFrom}. Set and cleared under the monitor, and only by that thread itself, so a thread
   * that reads itself here (even without the lock) is the delivering one.
   */
  private Thread delivering;
  /** Set under the monitor, or without it by the delivering thread (program order makes it visible to itself). */
  private boolean readyPending;
  private boolean detached;

  private volatile long inFlightSinceNanos;
  private volatile long progressNanos;

  AttachedOutput(CameraOutput output, Camera camera, boolean viewer) {
    this.output = output;
    this.camera = camera;
    this.viewer = viewer;
    // Until onAttached has run the output counts as busy, so frames published meanwhile wait (newest wins) instead
    // of reaching onFrame first; the camera calls ready() once onAttached returned.
    this.inFlight = true;
    this.inFlightSinceNanos = System.nanoTime();
  }

  /**
   * A new frame of the camera (publishing thread), or its latest one asked for by the output; {@code order} is its
   * place in the camera's order of publication. A frame this output already had, or one older than it, is dropped:
   * requestLatest() can hand over the newest frame before its publisher does, or read the latest just before a newer
   * one is published and delivered.
   */
  void offer(CameraFrame frame, long order) {
    synchronized (this) {
      if (detached || order <= newestOrder) {
        return;
      }
      newestOrder = order;
      if (inFlight) {
        if (waiting != null) {
          skipped++;
        }
        waiting = frame;
        return;
      }
      inFlight = true;
      delivered++;
      delivering = Thread.currentThread();
    }
    deliverFrom(frame);
  }

  @Override
  public void ready() {
    if (delivering == Thread.currentThread()) {
      // Said from within onFrame (a frame written at once, the common case): served when onFrame returns.
      readyPending = true;
      return;
    }
    CameraFrame next;
    synchronized (this) {
      if (!inFlight || detached) {
        return;
      }
      if (delivering != null) {
        readyPending = true;
        return;
      }
      next = waiting;
      waiting = null;
      if (next == null) {
        inFlight = false;
        return;
      }
      delivered++;
      delivering = Thread.currentThread();
    }
    deliverFrom(next);
  }

  // Entered with inFlight set and this thread as the delivering one; leaves owning neither.
  private void deliverFrom(CameraFrame first) {
    CameraFrame frame = first;
    while (true) {
      inFlightSinceNanos = System.nanoTime();
      try {
        output.onFrame(frame);
      } catch (RuntimeException e) {
        synchronized (this) {
          delivering = null;
        }
        log.warn("camera '{}': {} output failed on a frame, detaching it: {}", camera.id(), output.kind(),
            e.toString());
        detach(DetachReason.FAILED, "the output failed: " + e);
        return;
      }
      synchronized (this) {
        if (!readyPending || detached) {
          delivering = null;
          return;
        }
        readyPending = false;
        frame = waiting;
        waiting = null;
        if (frame == null) {
          inFlight = false;
          delivering = null;
          return;
        }
        delivered++;
      }
    }
  }

  @Override
  public void progress() {
    progressNanos = System.nanoTime();
  }

  @Override
  public void requestLatest() {
    Camera.Published latest = camera.latestPublished();
    if (latest != null) {
      offer(latest.frame(), latest.order()); // skipped when this output already has it or a newer one
    }
  }

  /** Detaches the output if its frame has made no progress for {@code stallNanos}; returns whether it did. */
  boolean detachIfStalled(long nowNanos, long stallNanos) {
    synchronized (this) {
      if (!inFlight || detached) {
        return false;
      }
    }
    long lastProgress = Math.max(inFlightSinceNanos, progressNanos);
    if (nowNanos - lastProgress <= stallNanos) {
      return false;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(stallNanos);
    log.info("camera '{}': detaching a stalled {} output: no progress on a frame for {} ms", camera.id(),
        output.kind(), ms);
    detach(DetachReason.STALLED, "no progress on a frame for " + ms + " ms");
    return true;
  }

  /** Detaches on the relay's initiative and tells the output why. */
  void detach(DetachReason reason, String message) {
    if (markDetached()) {
      try {
        output.onDetached(reason, message);
      } catch (RuntimeException e) {
        log.warn("camera '{}': {} output failed while being detached: {}", camera.id(), output.kind(), e.toString());
      }
    }
  }

  private boolean markDetached() {
    synchronized (this) {
      if (detached) {
        return false;
      }
      detached = true;
      waiting = null;
    }
    camera.removeOutput(this);
    return true;
  }

  @Override
  public void close() {
    markDetached();
  }

  @Override
  public boolean attached() {
    synchronized (this) {
      return !detached;
    }
  }

  @Override
  public String cameraId() {
    return camera.id();
  }

  @Override
  public Optional<CameraFrame> latestFrame() {
    return Optional.ofNullable(camera.latest());
  }

  @Override
  public CompletableFuture<String> control(String json) {
    return camera.hub().control(camera.id(), json);
  }

  @Override
  public CameraStats camera() {
    return camera.stats();
  }

  @Override
  public long framesDelivered() {
    synchronized (this) {
      return delivered;
    }
  }

  @Override
  public long framesSkipped() {
    synchronized (this) {
      return skipped;
    }
  }

  @Override
  public int framesHeld() {
    synchronized (this) {
      return (inFlight ? 1 : 0) + (waiting != null ? 1 : 0);
    }
  }

  @Override
  public String toString() {
    return output.kind() + " output of camera '" + camera.id() + "'";
  }
}
