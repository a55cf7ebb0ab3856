package dev.camrelay.relay.internal.hub;

import dev.camrelay.relay.CameraFrame;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Spreads one frame's offers to a camera's outputs over the cores, so that the last of 200 viewers gets the frame
 * about as soon as the first instead of after 199 socket writes on one thread.
 *
 * <pre>
 *   outputs, starting one further each frame:  [c0][c1][c2][c3] … [c24]   chunks of {@value #CHUNK}
 *   publishing thread:  claim c0 ─► c2 ─► c3 ─► … ─► wait for chunks helpers started ─► return
 *   fan-out helper 1:        (wakes) claim c1 ─► c4 ─► …
 * </pre>
 *
 * <p>Cameras with at least {@value #MIN_PER_PART} outputs per thread get helpers, as long as the split measurably
 * gets frames out sooner without costing much more CPU ({@link SplitTuner}: where the other cores are busy, it does
 * not, and only costs CPU). The
 * outputs are cut into small chunks that every thread claims one after the other from one counter, so the work stays
 * even however late a helper wakes up (a helper woken late takes fewer chunks; the publisher never waits for one that
 * has not started): the last output is served at about (work + the helper's wake-up delay) / threads. A chunk is
 * claimed by exactly one thread; the publisher waits only for chunks a helper already claimed. Offers never block (an
 * output's {@code onFrame} only starts a non-blocking write), so the wait is short. With one core (or
 * {@code helpers == 0}) everything happens on the publishing thread, as before.
 *
 * <p>Each frame starts one output further along (round robin), so no viewer is always the last one served: over
 * many frames every viewer waits on average half the fan-out, where a fixed order makes the most recently attached
 * viewer wait all of it, every frame.
 *
 * <p>Order is kept without further locking: each output takes frames in publication order only (see
 * {@link AttachedOutput#offer}), and {@code publish} returns only once every chunk is done, so one frame's offers
 * never overlap the next one's.
 */
final class FanOut {
  /** Outputs per thread below which helpers are not worth waking. */
  static final int MIN_PER_PART = 16;
  /** Outputs one claim takes: small enough to balance, large enough that claims cost nothing. */
  static final int CHUNK = 8;

  private final int helpers;
  private final ExecutorService pool;
  private final SplitTuner tuner = new SplitTuner();

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
          Thread t = new Helper(r, "camrelay-fanout-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Offers {@code frame} to every output in {@code outputs}, using helpers when there are enough outputs. */
  void offer(AttachedOutput[] outputs, CameraFrame frame, long order) {
    int n = outputs.length;
    if (n == 0) {
      return;
    }
    int start = (int) Math.floorMod(order, (long) n);
    int threads = pool == null ? 1 : Math.min(helpers + 1, n / MIN_PER_PART);
    if (threads <= 1) {
      offerInTurn(outputs, frame, order, start);
      return;
    }
    boolean split = tuner.split();
    long measurement = tuner.measurement();
    if (measurement < 0) {
      if (split) {
        offerSplit(outputs, frame, order, start, threads, -1);
      } else {
        offerInTurn(outputs, frame, order, start);
      }
      tuner.ran();
      return;
    }
    long cpu = SplitTuner.cpuNanos();
    long began = System.nanoTime();
    long helpersCpu = 0;
    if (split) {
      helpersCpu = offerSplit(outputs, frame, order, start, threads, measurement);
    } else {
      offerInTurn(outputs, frame, order, start);
    }
    long nanos = System.nanoTime() - began;
    tuner.record(split, n, nanos, SplitTuner.cpuNanos() - cpu + helpersCpu);
  }

  private static void offerInTurn(AttachedOutput[] outputs, CameraFrame frame, long order, int start) {
    int n = outputs.length;
    for (int i = start; i < n; i++) {
      outputs[i].offer(frame, order);
    }
    for (int i = 0; i < start; i++) {
      outputs[i].offer(frame, order);
    }
  }

  /**
   * Returns the CPU time the helpers spent on this frame when it is part of a {@code measurement} (≥ 0), else 0.
   */
  private long offerSplit(AttachedOutput[] outputs, CameraFrame frame, long order, int start, int threads,
      long measurement) {
    Job job = new Job(outputs, frame, order, start, measurement);
    for (int i = 1; i < threads; i++) {
      try {
        pool.execute(job);
      } catch (RejectedExecutionException e) {
        break; // shutting down: the publisher does the rest itself
      }
    }
    job.runChunks();
    job.awaitHelpers();
    return job.helpersCpu.get();
  }

  void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** A fan-out helper thread, remembering where its CPU clock stood after its last measured frame. */
  private static final class Helper extends Thread {
    long measurement = -1;
    long measuredUpTo;

    Helper(Runnable r, String name) {
      super(r, name);
    }
  }

  /** One frame's fan-out: chunks claimed in turn by whichever thread comes first. */
  private static final class Job implements Runnable {
    private final AttachedOutput[] outputs;
    private final CameraFrame frame;
    private final long order;
    private final int start;
    private final int chunks;
    private final Thread publisher;
    private final AtomicInteger nextChunk = new AtomicInteger();
    /** Helpers that may still be offering. */
    private final AtomicInteger busyHelpers = new AtomicInteger();
    private final long measurement;
    /** CPU time the helpers spent on this frame, added before they stop counting as busy (when measured). */
    final AtomicLong helpersCpu = new AtomicLong();

    Job(AttachedOutput[] outputs, CameraFrame frame, long order, int start, long measurement) {
      this.measurement = measurement;
      this.outputs = outputs;
      this.frame = frame;
      this.order = order;
      this.start = start;
      this.chunks = (outputs.length + CHUNK - 1) / CHUNK;
      this.publisher = Thread.currentThread();
    }

    /** Publishing thread: offers to every chunk nobody has claimed yet. */
    void runChunks() {
      int c;
      while ((c = nextChunk.getAndIncrement()) < chunks) {
        offerChunk(c);
      }
    }

    /** Helper thread: the same, counted so the publisher can wait for the chunks it claimed. */
    @Override
    public void run() {
      busyHelpers.incrementAndGet(); // counted before claiming, so the publisher cannot miss a chunk in progress
      long cpu = measurement >= 0 ? SplitTuner.cpuNanos() : 0;
      try {
        runChunks();
      } finally {
        if (measurement >= 0) {
          helpersCpu.addAndGet(cpuSpent(cpu));
        }
        if (busyHelpers.decrementAndGet() == 0) {
          LockSupport.unpark(publisher);
        }
      }
    }

    /**
     * The helper's CPU time for this frame: since the end of its previous frame of the same measurement when there
     * was one, so that being woken up and going back to sleep counts too (most of what a split costs on a busy
     * machine); else since it started on this one.
     */
    private long cpuSpent(long startedAt) {
      long now = SplitTuner.cpuNanos();
      long from = startedAt;
      if (Thread.currentThread() instanceof Helper h) {
        if (h.measurement == measurement) {
          from = h.measuredUpTo;
        }
        h.measurement = measurement;
        h.measuredUpTo = now;
      }
      return now - from;
    }

    void awaitHelpers() {
      // All chunks are claimed; a helper that claimed one has counted itself before claiming.
      while (busyHelpers.get() != 0) {
        LockSupport.parkNanos(this, 100_000);
      }
    }

    private void offerChunk(int c) {
      int n = outputs.length;
      int from = c * CHUNK;
      int to = Math.min(n, from + CHUNK);
      for (int i = from; i < to; i++) {
        int at = start + i;
        outputs[at < n ? at : at - n].offer(frame, order);
      }
    }
  }
}
