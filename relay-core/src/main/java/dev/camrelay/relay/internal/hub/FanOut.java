package dev.camrelay.relay.internal.hub;

import dev.camrelay.relay.CameraFrame;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Spreads one frame's offers to a camera's outputs over the cores, so that the last of 200 viewers gets the frame
 * about as soon as the first instead of after 199 socket writes on one thread.
 *
 * <pre>
 *   publishing thread:  offer to part 0 ─► claim part 2 ─► … ─► wait for parts taken by helpers ─► return
 *   fan-out helper 1:           claim part 1 ─► offer to it ─► done
 * </pre>
 *
 * <p>The outputs are cut into parts of at least {@value #MIN_PER_PART}; the publishing thread offers to the parts
 * itself and asks helpers to claim the rest. A part is claimed by exactly one thread, so the publisher never waits
 * for a helper that is busy elsewhere: whatever is not claimed yet it does itself, and it waits only for parts a
 * helper already started. Offers never block (an output's {@code onFrame} only starts a non-blocking write), so the
 * wait is short. With one core (or {@code helpers == 0}) everything happens on the publishing thread, as before.
 *
 * <p>Order is kept without further locking: each output takes frames in publication order only (see
 * {@link AttachedOutput#offer}), and {@code publish} returns only once every part is done, so one frame's offers
 * never overlap the next one's.
 */
final class FanOut {
  static final int MIN_PER_PART = 16;

  private final int helpers;
  private final ExecutorService pool;

  /** {@code helpers}: threads besides the publishing one (0 = fan out on the publishing thread only). */
  FanOut(int helpers) {
    this.helpers = helpers;
    if (helpers <= 0) {
      this.pool = null;
      return;
    }
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(helpers, helpers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "camrelay-fanout-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Offers {@code frame} to every output in {@code outputs}, using helpers when there are enough outputs. */
  void offer(AttachedOutput[] outputs, CameraFrame frame, long order) {
    int parts = pool == null ? 1 : Math.min(helpers + 1, outputs.length / MIN_PER_PART);
    if (parts <= 1) {
      for (AttachedOutput o : outputs) {
        o.offer(frame, order);
      }
      return;
    }
    Job job = new Job(outputs, frame, order, parts, Thread.currentThread());
    for (int i = 1; i < parts; i++) {
      try {
        pool.execute(job::helperRun);
      } catch (RejectedExecutionException e) {
        break; // shutting down: the publisher does the rest itself
      }
    }
    job.runParts();
    job.awaitHelpers();
  }

  void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** One frame's fan-out: parts claimed in turn by whichever thread comes first. */
  private static final class Job {
    private final AttachedOutput[] outputs;
    private final CameraFrame frame;
    private final long order;
    private final int parts;
    private final Thread publisher;
    private final AtomicInteger nextPart = new AtomicInteger();
    /** Parts claimed by helpers and not finished yet. */
    private final AtomicInteger helperParts = new AtomicInteger();

    Job(AttachedOutput[] outputs, CameraFrame frame, long order, int parts, Thread publisher) {
      this.outputs = outputs;
      this.frame = frame;
      this.order = order;
      this.parts = parts;
      this.publisher = publisher;
    }

    /** Publishing thread: offers to every part nobody has claimed yet. */
    void runParts() {
      int p;
      while ((p = nextPart.getAndIncrement()) < parts) {
        offerPart(p);
      }
    }

    /** Helper thread: offers to one unclaimed part, if any is left. */
    void helperRun() {
      helperParts.incrementAndGet(); // counted before claiming, so the publisher cannot miss a part in progress
      try {
        int p = nextPart.getAndIncrement();
        if (p < parts) {
          offerPart(p);
        }
      } finally {
        if (helperParts.decrementAndGet() == 0) {
          LockSupport.unpark(publisher);
        }
      }
    }

    void awaitHelpers() {
      // All parts are claimed; a helper that claimed one has counted itself before claiming.
      while (helperParts.get() != 0) {
        LockSupport.parkNanos(this, 100_000);
      }
    }

    private void offerPart(int p) {
      int from = (int) ((long) outputs.length * p / parts);
      int to = (int) ((long) outputs.length * (p + 1) / parts);
      for (int i = from; i < to; i++) {
        outputs[i].offer(frame, order);
      }
    }
  }
}
