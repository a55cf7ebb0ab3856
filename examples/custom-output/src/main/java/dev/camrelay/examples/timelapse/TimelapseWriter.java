package dev.camrelay.examples.timelapse;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputFactory;
import dev.camrelay.relay.OutputHandle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A timelapse recorder built on the relay's output seam: every Nth frame of a camera goes to a file in one folder,
 * named {@code {cameraId}-{yyyyMMdd-HHmmss.SSS}-{sequence}.jpg} from the frame's {@link CameraFrame#receivedAtMicros()
 * receive time} in UTC (so names sort by time, also across daylight-saving changes) and its
 * {@link CameraFrame#sequence() sequence}. The file holds the camera's JPEG byte for byte.
 *
 * <p>Which frames: the first one the output gets, then the first whose sequence is at least N past the last one
 * written (a sequence that goes backwards, e.g. a camera that reconnected and counts from 0 again, starts over).
 * Frames the relay skipped for this output (see below) do not shift the schedule: the next frame after a gap is
 * written instead.
 *
 * <p>Threads: all files are written on one thread of this writer, shared by every camera it records; the relay's
 * threads never touch the disk. {@link CameraOutput#onFrame} only decides, hands a due frame to that thread and
 * returns; the output calls {@link OutputHandle#ready()} when the file is written (or at once for a frame it skips).
 *
 * <p>Limits: a disk that is slower than the camera makes the relay hand over fewer frames (at most one being
 * written and one waiting per camera, the newest), so the timelapse gets sparser, never a growing queue. A write
 * that fails (disk full, folder removed, no permission) is logged and that frame is skipped; the next due frame is
 * tried again. A single write that takes longer than the relay's stall timeout (10 s by default) gets the output
 * detached ({@link DetachReason#STALLED}); it is logged and the camera is no longer recorded. Files are written as
 * {@code .part} and renamed when complete, so a reader never sees half a JPEG; after a crash a {@code .part} file
 * may remain. Nothing deletes old files: watch the free space.
 */
public final class TimelapseWriter implements OutputFactory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TimelapseWriter.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS")
      .withZone(ZoneOffset.UTC);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Path folder;
  private final long every;
  private final ExecutorService disk;
  private final AtomicLong framesSeen = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  /**
   * @param folder where the files go; created if missing
   * @param every write every {@code every}th frame (1 = every frame the output gets)
   */
  public TimelapseWriter(Path folder, long every) throws IOException {
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1, got " + every);
    }
    this.folder = Files.createDirectories(Objects.requireNonNull(folder, "folder"));
    this.every = every;
    this.disk = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "timelapse-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** A new output recording camera {@code cameraId}; attach it with {@code attachOutput} (or use this as factory). */
  @Override
  public CameraOutput create(String cameraId) {
    return new Output(cameraId);
  }

  /** The file name a frame is written as. */
  static String fileName(CameraFrame frame) {
    long micros = frame.receivedAtMicros();
    Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    return frame.cameraId() + "-" + TIME.format(at) + "-" + frame.sequence() + ".jpg";
  }

  /** Frames the outputs of this writer were handed so far (written or not). */
  public long framesSeen() {
    return framesSeen.get();
  }

  /** Files written so far. */
  public long written() {
    return written.get();
  }

  /** Writes that failed so far. */
  public long failed() {
    return failed.get();
  }

  /** Stops taking frames and waits up to 5 s for the file being written. Detach the outputs first. */
  @Override
  public void close() {
    disk.shutdown();
    try {
      if (!disk.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("a timelapse file is still being written after 5 s; giving up on it");
        disk.shutdownNow();
      }
    } catch (InterruptedException e) {
      disk.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void write(CameraFrame frame) {
    String name = fileName(frame);
    Path part = folder.resolve(name + ".part");
    try {
      try (OutputStream out = Files.newOutputStream(part)) {
        frame.jpeg().writeTo(out);
      }
      Files.move(part, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      written.incrementAndGet();
      log.debug("wrote {} ({} bytes)", name, frame.size());
    } catch (IOException | RuntimeException e) {
      failed.incrementAndGet();
      long now = System.nanoTime();
      long last = lastWarning.get();
      if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) { // disk full: not a log flood
        log.warn("cannot write {} ({}); skipping it ({} failed writes so far)", name, e.toString(), failed.get());
      }
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // the folder itself may be gone; nothing more to do
      }
    }
  }

  /** One camera's timelapse: decides on the relay's thread, writes on the writer's. */
  private final class Output implements CameraOutput {
    private final String cameraId;
    private volatile OutputHandle handle;
    // Touched only in onFrame, which the relay never runs twice at once for one output.
    private volatile long lastWrittenSequence;
    private volatile boolean wroteAny;

    Output(String cameraId) {
      this.cameraId = cameraId;
    }

    @Override
    public void onAttached(OutputHandle handle) {
      this.handle = handle;
    }

    @Override
    public void onFrame(CameraFrame frame) {
      framesSeen.incrementAndGet();
      long sequence = frame.sequence();
      boolean due = !wroteAny || sequence >= lastWrittenSequence + every || sequence < lastWrittenSequence;
      if (!due) {
        handle.ready(); // may hand over the next frame on this thread: state is up to date already
        return;
      }
      wroteAny = true;
      lastWrittenSequence = sequence;
      try {
        disk.execute(() -> {
          try {
            write(frame);
          } finally {
            handle.ready();
          }
        });
      } catch (RejectedExecutionException e) { // the writer is closing
        handle.ready();
      }
    }

    @Override
    public void onDetached(DetachReason reason, String message) {
      if (reason == DetachReason.SHUTTING_DOWN) {
        log.info("timelapse of camera '{}' stopped: relay shutting down", cameraId);
      } else {
        log.warn("timelapse of camera '{}' detached by the relay: {} ({})", cameraId, reason, message);
      }
    }

    @Override
    public String kind() {
      return "timelapse";
    }
  }
}
