package dev.camrelay.relay.internal.past;

import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.internal.port.http.CameraRoute;
import dev.camrelay.relay.internal.record.RecordingStore;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's look into the past: the recordings' HTTP routes ({@link PastRoutes}) and the threads that read the
 * disk for them, so that no event loop ever waits on a file. Two threads: disk reads of one request are short
 * (a chunk, a frame), and paced streams wait on the scheduler, not in a thread, so two serve many replays.
 */
public final class Past implements AutoCloseable {
  private static final int THREADS = 2;

  private final RecordingStore store;
  private final ScheduledThreadPoolExecutor threads;

  /** {@code storeOrNull}: the recordings, or null when the relay does not record. */
  public Past(RecordingStore storeOrNull) {
    this.store = storeOrNull;
    AtomicInteger n = new AtomicInteger();
    this.threads = new ScheduledThreadPoolExecutor(THREADS, r -> {
      Thread t = new Thread(r, "camrelay-past-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.setRemoveOnCancelPolicy(true);
  }

  /** A past with no recordings: its routes say so. */
  public static Past none() {
    return new Past(null);
  }

  /** The recordings, or null. */
  public RecordingStore store() {
    return store;
  }

  /** The camera routes of the past, by file name; {@code liveSnapshot} answers {@code snapshot.jpg} without ?at=. */
  public Map<String, CameraRoute> routes(MjpegWriter writer, CameraRoute liveSnapshot) {
    return new PastRoutes(store, threads, writer).routes(liveSnapshot);
  }

  /** Stops the threads; streams still open end as their connections close. */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      threads.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
