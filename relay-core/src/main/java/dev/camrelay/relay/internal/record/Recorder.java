package dev.camrelay.relay.internal.record;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.OutputFactory;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every chosen camera's frames to {@link RecordingStore}'s folder: a relay-wide output on the seam
 * ({@link dev.camrelay.relay.CameraHub#attachOutputs}) whose outputs take each frame at once (so the hub never holds
 * frames back for it) and queue it for one writer thread shared by all cameras.
 *
 * <ul>
 *   <li>Memory: queued frames take at most {@link RecordSettings#memoryBytes()}; frames beyond it are dropped and
 *       counted ({@code camrelay_record_frames_dropped_total}): a slow disk costs recorded frames, never a viewer's
 *       or the camera's pace.</li>
 *   <li>Order: one queue, so each camera's frames are written in the order the hub delivered them.</li>
 *   <li>Durability: writes are buffered, handed to the operating system every {@value #FLUSH_MILLIS} ms (so readers
 *       of the segment being written see them) and synced to the disk every {@value #SYNC_MILLIS} ms: a killed
 *       process or a power cut loses at most about the last second. At {@link #start()} unfinished segments are
 *       repaired ({@link AviRepair}).</li>
 *   <li>Failures: when a write fails (disk full, folder gone or read-only) recording pauses with one log line and
 *       {@code camrelay_record_paused} 1, its open segments are left for repair, frames are dropped (counted); it
 *       retries after 1 s, doubling to 30 s, and resumes by itself (one more log line) once a write and sync
 *       succeed.</li>
 *   <li>Segments: a new one when the current one is {@link RecordSettings#segment()} long, the camera's clock steps
 *       back, or the picture size changes; a camera silent for {@value #IDLE_SECONDS} s has its segment finished.</li>
 *   <li>Retention ({@link Retention}): every {@value #RETENTION_SECONDS} s and after each finished segment.</li>
 * </ul>
 */
public final class Recorder implements OutputFactory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Recorder.class);
  static final long FLUSH_MILLIS = 200;
  static final long SYNC_MILLIS = 1000;
  static final long IDLE_SECONDS = 60;
  static final long RETENTION_SECONDS = 30;
  private static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** What a queued frame costs beyond its JPEG bytes (the frame object, the queue node). */
  private static final int FRAME_OVERHEAD = 256;

  private final RecordingStore store;
  private final RecordSettings settings;
  private final FileOpener files;
  private final LongSupplier clockMicros;
  private final long riffLimit;
  private final Retention retention;
  private final LinkedBlockingQueue<CameraFrame> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong framesWritten = new AtomicLong();
  private final AtomicLong segmentsStarted = new AtomicLong();
  private final AtomicLong framesDropped = new AtomicLong();
  private final LogLimiter limitedLog = new LogLimiter(log, 60_000);
  private final Thread writer;
  private volatile boolean stopping;
  // Writer thread state:
  private final Map<String, SegmentWriter> open = new HashMap<>();
  private final Set<Path> toRepair = new LinkedHashSet<>();
  private volatile boolean failing;
  private volatile long retryAtNanos;
  private long retryDelayNanos = FIRST_RETRY_NANOS;
  private long failedAtNanos;
  private long droppedAtFailure;
  private boolean retentionDue = true;

  /**
   * @param clockMicros the wall clock for retention's age rule, microseconds since the epoch (tests move it)
   * @param files how files are opened (tests inject failing disks)
   */
  public Recorder(RecordingStore store, RecordSettings settings, LongSupplier clockMicros, FileOpener files) {
    this(store, settings, clockMicros, files, AviWriter.DEFAULT_RIFF_LIMIT);
  }

  Recorder(RecordingStore store, RecordSettings settings, LongSupplier clockMicros, FileOpener files,
      long riffLimit) {
    this.store = store;
    this.settings = settings;
    this.files = files;
    this.clockMicros = clockMicros;
    this.riffLimit = riffLimit;
    this.retention = new Retention(store, settings);
    this.writer = new Thread(this::run, "camrelay-recorder");
    writer.setDaemon(true);
  }

  /** Registers the recorder's meters ({@code camrelay_record_*}). */
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("camrelay.record.bytes.written", bytesWritten, AtomicLong::get)
        .description("Bytes the recorder wrote (frames with their chunk headers and time records).")
        .register(registry);
    FunctionCounter.builder("camrelay.record.frames", framesWritten, AtomicLong::get)
        .description("Frames the recorder wrote.").register(registry);
    FunctionCounter.builder("camrelay.record.segments", segmentsStarted, AtomicLong::get)
        .description("Segment files the recorder started.").register(registry);
    FunctionCounter.builder("camrelay.record.frames.dropped", framesDropped, AtomicLong::get)
        .description("Frames not recorded: the recorder's memory budget was full, or recording was paused.")
        .register(registry);
    Gauge.builder("camrelay.record.paused", this, r -> r.failing ? 1 : 0)
        .description("1 while recording is paused because the disk cannot be written, else 0.").register(registry);
    Gauge.builder("camrelay.record.disk.free", this, Recorder::diskFree).baseUnit("bytes")
        .description("Usable bytes on the recordings folder's file system (-1 when unknown).").register(registry);
    Gauge.builder("camrelay.record.queued", queuedBytes, AtomicLong::get).baseUnit("bytes")
        .description("Bytes of frames waiting for the recorder's writer thread.").register(registry);
  }

  /** The folder being recorded to, read side. */
  public RecordingStore store() {
    return store;
  }

  public RecordSettings settings() {
    return settings;
  }

  /** Repairs unfinished segments, applies retention once, and starts the writer thread. */
  public void start() {
    try {
      Files.createDirectories(store.dir());
      repairAll();
    } catch (IOException | UncheckedIOException e) {
      fail(e);
    }
    writer.start();
  }

  @Override
  public CameraOutput create(String cameraId) {
    return settings.records(cameraId) ? new Output() : null;
  }

  /** Frames not recorded so far (memory budget full or paused). */
  public long framesDropped() {
    return framesDropped.get();
  }

  public long framesWritten() {
    return framesWritten.get();
  }

  public long segmentsStarted() {
    return segmentsStarted.get();
  }

  public long bytesWritten() {
    return bytesWritten.get();
  }

  /** Whether recording is paused by a write failure. */
  public boolean paused() {
    return failing;
  }

  /** Writes what is queued, finishes the open segments and stops the writer thread (waits up to 30 s). */
  @Override
  public void close() {
    stopping = true;
    if (writer.isAlive()) {
      try {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Output implements CameraOutput {
    private OutputHandle handle;

    @Override
    public void onAttached(OutputHandle handle) {
      this.handle = handle;
    }

    @Override
    public void onFrame(CameraFrame frame) {
      offer(frame);
      handle.ready();
    }

    @Override
    public String kind() {
      return "record";
    }
  }

  void offer(CameraFrame frame) {
    long cost = frame.size() + FRAME_OVERHEAD;
    if (stopping || failing && System.nanoTime() - retryAtNanos < 0) {
      framesDropped.incrementAndGet();
      return;
    }
    if (queuedBytes.addAndGet(cost) > settings.memoryBytes()) {
      queuedBytes.addAndGet(-cost);
      framesDropped.incrementAndGet();
      limitedLog.warn("budget", "recording: frames waiting for the disk fill the recorder's "
          + settings.memoryBytes() + " bytes: dropping frames (the disk is slower than the cameras)");
      return;
    }
    queue.add(frame);
  }

  private void run() {
    long now = System.nanoTime();
    long[] last = {now, now, now, now}; // flush, sync, idle check, retention
    while (true) {
      CameraFrame frame;
      try {
        frame = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        frame = null; // never interrupted on purpose: file channels close on interrupts
      }
      if (frame == null && stopping) {
        break;
      }
      try {
        step(frame, last);
      } catch (RuntimeException e) {
        // A bug, not the disk: keep the thread (and the other cameras' recording) alive, leave files for repair.
        limitedLog.warn("unexpected", "recording: unexpected " + e + " at " + e.getStackTrace()[0]);
        fail(e);
      }
    }
    for (SegmentWriter s : new ArrayList<>(open.values())) {
      finish(s);
    }
  }

  /** Writes one frame (if any), then flushes, syncs, finishes idle segments and applies retention when due. */
  private void step(CameraFrame frame, long[] last) {
    long now = System.nanoTime();
    if (failing && now - retryAtNanos >= 0 && !toRepair.isEmpty()) {
      recover();
    }
    if (frame != null) {
      queuedBytes.addAndGet(-(frame.size() + FRAME_OVERHEAD));
      if (failing && now - retryAtNanos < 0) {
        framesDropped.incrementAndGet();
      } else {
        write(frame);
      }
    }
    now = System.nanoTime();
    if (now - last[1] >= TimeUnit.MILLISECONDS.toNanos(SYNC_MILLIS)) {
      flushAll(true);
      last[1] = now;
      last[0] = now;
    } else if (now - last[0] >= TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS)) {
      flushAll(false);
      last[0] = now;
    }
    if (now - last[2] >= TimeUnit.SECONDS.toNanos(1)) {
      finishIdle();
      last[2] = now;
    }
    if (retentionDue || now - last[3] >= TimeUnit.SECONDS.toNanos(RETENTION_SECONDS)) {
      applyRetention();
      last[3] = now;
    }
  }

  private void write(CameraFrame frame) {
    SegmentWriter seg = open.get(frame.cameraId());
    try {
      if (seg != null && !seg.fits(frame, settings.segment().toNanos() / 1000)) {
        finish(seg);
        seg = null;
      }
      if (seg == null) {
        if (failing && now() - retryAtNanos < 0) {
          framesDropped.incrementAndGet(); // finishing the last segment just failed
          return;
        }
        seg = SegmentWriter.open(store, files, frame, riffLimit);
        open.put(frame.cameraId(), seg);
        segmentsStarted.incrementAndGet();
      }
      seg.write(frame);
      framesWritten.incrementAndGet();
      bytesWritten.addAndGet(frame.size() + 8L + FrameTimes.RECORD_BYTES);
    } catch (IOException | UncheckedIOException e) {
      framesDropped.incrementAndGet();
      fail(e);
    }
  }

  private void flushAll(boolean sync) {
    if (open.isEmpty()) {
      return;
    }
    try {
      for (SegmentWriter s : open.values()) {
        s.flush(sync);
      }
      if (sync && failing) {
        resumed();
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void finishIdle() {
    long idleMicros = TimeUnit.SECONDS.toMicros(IDLE_SECONDS);
    long nowMicros = System.currentTimeMillis() * 1000; // the hub's clock, which timed the frames
    for (SegmentWriter s : new ArrayList<>(open.values())) {
      if (nowMicros - s.lastMicros() > idleMicros) {
        finish(s);
      }
    }
  }

  private void finish(SegmentWriter s) {
    open.values().remove(s);
    try {
      s.close();
      retentionDue = true;
    } catch (IOException e) {
      s.abandon();
      toRepair.add(s.file());
      fail(e);
    }
  }

  private void applyRetention() {
    retentionDue = false;
    try {
      retention.apply(clockMicros.getAsLong());
    } catch (UncheckedIOException e) {
      limitedLog.warn("retention", "recording retention: cannot list " + store.dir() + ": " + e.getCause());
    }
  }

  /** Pauses recording: open segments are left for repair; retries with a growing delay. */
  private void fail(Exception e) {
    for (SegmentWriter s : open.values()) {
      s.abandon();
      toRepair.add(s.file());
    }
    open.clear();
    long now = System.nanoTime();
    if (!failing) {
      failing = true;
      failedAtNanos = now;
      droppedAtFailure = framesDropped.get();
      retryDelayNanos = FIRST_RETRY_NANOS;
      log.warn("recording paused: cannot write to {}: {}; relaying goes on, recording resumes when it can write",
          store.dir(), describe(e));
    } else {
      retryDelayNanos = Math.min(MAX_RETRY_NANOS, retryDelayNanos * 2);
    }
    retryAtNanos = now + retryDelayNanos;
  }

  /** Repairs what a failure left behind; on success frames are accepted again. */
  private void recover() {
    for (Path p : new ArrayList<>(toRepair)) {
      try {
        AviRepair.repair(p, files);
        toRepair.remove(p);
      } catch (IOException | UncheckedIOException e) {
        retryDelayNanos = Math.min(MAX_RETRY_NANOS, retryDelayNanos * 2);
        retryAtNanos = System.nanoTime() + retryDelayNanos;
        return;
      }
    }
  }

  private void resumed() {
    failing = false;
    log.info("recording resumed after {} s; {} frames were not recorded",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failedAtNanos), framesDropped.get() - droppedAtFailure);
  }

  /** At start: finishes segments a crash left unfinished, deletes sidecars whose AVI is gone. */
  private void repairAll() throws IOException {
    int repaired = 0;
    long kept = 0;
    long lost = 0;
    for (String camera : store.cameras()) {
      Path dir = store.cameraDir(camera);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.times")) {
        for (Path times : ds) {
          String name = times.getFileName().toString();
          Path avi = times.resolveSibling(name.substring(0, name.length() - ".times".length()) + RecordingStore.AVI);
          if (!Files.exists(avi)) {
            Files.deleteIfExists(times);
          }
        }
      }
      for (Path avi : store.segmentFiles(camera)) {
        try {
          AviRepair.Result r = AviRepair.repair(avi, files);
          if (r.outcome() == AviRepair.Outcome.REPAIRED || r.outcome() == AviRepair.Outcome.DELETED) {
            repaired++;
            kept += r.framesKept();
            lost += r.framesDropped();
            store.forget(avi);
          }
        } catch (IOException e) {
          log.warn("recording: cannot repair {}: {}", avi, describe(e));
        }
      }
    }
    if (repaired > 0) {
      log.info("recording: repaired {} unfinished segment(s) under {}: {} frames kept, {} torn ones dropped",
          repaired, store.dir(), kept, lost);
    }
  }

  private long diskFree() {
    try {
      return Files.getFileStore(store.dir()).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long now() {
    return System.nanoTime();
  }

  private static String describe(Exception e) {
    Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
    return t.getMessage() != null ? t.getClass().getSimpleName() + ": " + t.getMessage() : t.toString();
  }
}
