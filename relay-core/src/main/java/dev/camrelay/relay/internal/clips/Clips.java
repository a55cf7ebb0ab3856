package dev.camrelay.relay.internal.clips;

import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.internal.record.AviWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-event clips: a {@link PreEventRing} on every camera (a relay-wide output, {@link CameraHub#attachOutputs}), and
 * on request ({@link #save}) one AVI of what the ring holds from {@code before} ago plus what the camera sends during
 * {@code after}, written with the recorder's {@link AviWriter} by a clip thread (never the camera's or a viewer's).
 *
 * <p>Files: {@code {dir of the camera}/{yyyyMMdd'T'HHmmss.SSS'Z'}.avi}, the time of the request; written as
 * {@code ….avi.partial} and renamed when complete, so a listed clip is always whole. Clips are kept until deleted
 * by hand (no retention). Limits: at most {@value #MAX_SAVING} clips being saved at once (more are refused), each
 * holding at most {@value #MAX_QUEUED_BYTES} bytes of frames waiting for the disk (beyond, frames are left out and
 * counted in the log line); {@code after} at most 10 minutes, {@code before} at most the ring's length.
 */
public final class Clips implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Clips.class);
  static final int MAX_SAVING = 4;
  static final long MAX_QUEUED_BYTES = 64L * 1024 * 1024;
  public static final Duration MAX_AFTER = Duration.ofMinutes(10);
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern CLIP_NAME = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?\\.avi");
  private static final String PARTIAL = ".partial";

  private final CameraHub hub;
  private final Duration keep;
  private final long maxBytes;
  private final Function<String, Path> dirOf;
  private final Map<String, PreEventRing> rings = new ConcurrentHashMap<>();
  private final Map<Path, Saving> saving = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor writers;
  private AutoCloseable attached;

  /** A clip on disk or being saved. */
  public record Clip(String cameraId, String name, Path file, long startMicros, long untilMicros, long bytes,
      boolean saving) {}

  /**
   * @param keep how much of each camera the rings hold
   * @param maxBytes the most JPEG bytes one camera's ring holds
   * @param dirOf the folder of a camera's clips (created when the first clip is saved)
   */
  public Clips(CameraHub hub, Duration keep, long maxBytes, Function<String, Path> dirOf) {
    this.hub = hub;
    this.keep = keep;
    this.maxBytes = maxBytes;
    this.dirOf = dirOf;
    AtomicInteger n = new AtomicInteger();
    this.writers = new ThreadPoolExecutor(0, MAX_SAVING, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "camrelay-clip-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Puts a ring on every camera, now and as cameras come; {@code where} says where clips go, for the log. */
  public void start(String where) {
    log.info("pre-event clips: the last {} of every camera kept in memory (at most {} MiB each), clips go to {}",
        keep, maxBytes / (1024 * 1024), where);
    attached = hub.attachOutputs(cameraId -> {
      PreEventRing[] ring = new PreEventRing[1];
      ring[0] = new PreEventRing(cameraId, keep.toNanos() / 1000, maxBytes, () -> rings.remove(cameraId, ring[0]));
      rings.put(cameraId, ring[0]);
      return ring[0];
    });
  }

  /** How much the rings hold. */
  public Duration keep() {
    return keep;
  }

  /**
   * Starts saving a clip of camera {@code cameraId}: the frames received from {@code before} ago (as far as the ring
   * goes back) until {@code after} from now.
   *
   * @return the clip, {@code saving} until its file is complete
   * @throws IllegalStateException with a message for the client: the camera has no ring (it never had a source), or
   *     too many clips are being saved
   */
  public Clip save(String cameraId, Duration before, Duration after) throws IOException {
    PreEventRing ring = rings.get(cameraId);
    if (ring == null) {
      throw new IllegalStateException("camera '" + cameraId + "' has not sent any frames since the relay started");
    }
    long now = Instant.now().toEpochMilli() * 1000;
    Path dir = dirOf.apply(cameraId);
    Files.createDirectories(dir);
    Path file = unusedName(dir, now);
    long since = now - Math.min(before.toNanos(), keep.toNanos()) / 1000;
    long until = now + after.toNanos() / 1000;
    Saving s = new Saving(cameraId, ring, file, now, until);
    saving.put(file, s);
    s.start(since); // the ring's frames are queued before the clip thread looks (after=0s ends at once)
    try {
      writers.execute(s);
    } catch (RejectedExecutionException e) {
      ring.unfollow(s);
      saving.remove(file);
      throw new IllegalStateException("already saving " + MAX_SAVING + " clips; try again when one is done");
    }
    return s.clip();
  }

  /** Camera {@code cameraId}'s clips, those being saved included, oldest first. */
  public List<Clip> list(String cameraId) throws IOException {
    List<Clip> out = new ArrayList<>();
    Path dir = dirOf.apply(cameraId);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.avi")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (CLIP_NAME.matcher(name).matches()) {
          long start = startOf(name);
          out.add(new Clip(cameraId, name, p, start, -1, Files.size(p), false));
        }
      }
    } catch (NoSuchFileException e) {
      // no clips yet
    }
    for (Saving s : saving.values()) {
      if (s.cameraId.equals(cameraId)) {
        out.add(s.clip());
      }
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  /** The complete clip named {@code name} of camera {@code cameraId}, if there is one. */
  public Optional<Clip> find(String cameraId, String name) throws IOException {
    if (!CLIP_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return list(cameraId).stream().filter(c -> !c.saving() && c.name().equals(name)).findFirst();
  }

  private static long startOf(String name) {
    String stamp = name.substring(0, 20);
    return Instant.from(NAME.parse(stamp)).toEpochMilli() * 1000;
  }

  private static Path unusedName(Path dir, long micros) {
    String base = NAME.format(Instant.ofEpochMilli(micros / 1000));
    Path p = dir.resolve(base + ".avi");
    for (int i = 2; Files.exists(p) || Files.exists(p.resolveSibling(p.getFileName() + PARTIAL)); i++) {
      p = dir.resolve(base + "-" + i + ".avi");
    }
    return p;
  }

  /** Detaches the rings; clips being saved end now with what they have (waits up to 2 s for their files). */
  @Override
  public void close() {
    if (attached != null) {
      try {
        attached.close();
      } catch (Exception e) {
        log.debug("detaching the pre-event rings failed: {}", e.toString());
      }
    }
    for (Saving s : saving.values()) {
      s.stop();
    }
    writers.shutdown();
    try {
      // Each clip thread sees the stop within 200 ms and finishes its file with what it has.
      if (!writers.awaitTermination(2, TimeUnit.SECONDS)) {
        log.warn("clips still being written at shutdown are left as .partial files");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One clip being saved: frames from the ring and live ones go through a bounded queue to the clip thread. */
  private final class Saving implements Runnable, Consumer<CameraFrame> {
    private static final CameraFrame END = null;
    private final String cameraId;
    private final PreEventRing ring;
    private final Path file;
    private final long requestedMicros;
    private final long untilMicros;
    private final LinkedBlockingQueue<CameraFrame> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger leftOut = new AtomicInteger();
    private long queuedBytes;
    private volatile boolean stopped;
    private volatile long bytesWritten;

    Saving(String cameraId, PreEventRing ring, Path file, long requestedMicros, long untilMicros) {
      this.cameraId = cameraId;
      this.ring = ring;
      this.file = file;
      this.requestedMicros = requestedMicros;
      this.untilMicros = untilMicros;
    }

    Clip clip() {
      return new Clip(cameraId, file.getFileName().toString(), file, requestedMicros, untilMicros, bytesWritten,
          true);
    }

    /** The ring's frames since {@code sinceMicros} first, then live ones, none twice. */
    void start(long sinceMicros) {
      for (CameraFrame f : ring.follow(sinceMicros, this)) {
        offer(f);
      }
    }

    /** A live frame from the ring (the publishing thread): queued, never waited for. */
    @Override
    public void accept(CameraFrame frame) {
      offer(frame);
    }

    private synchronized void offer(CameraFrame f) {
      if (queuedBytes + f.size() > MAX_QUEUED_BYTES) {
        leftOut.incrementAndGet();
        return;
      }
      queuedBytes += f.size();
      queue.add(f);
    }

    private synchronized void taken(CameraFrame f) {
      queuedBytes -= f.size();
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      Path partial = file.resolveSibling(file.getFileName() + PARTIAL);
      AviWriter avi = null;
      long frames = 0;
      try {
        while (!stopped) {
          long waitMicros = untilMicros - Instant.now().toEpochMilli() * 1000;
          CameraFrame f = queue.poll(Math.max(0, Math.min(waitMicros, 200_000)), TimeUnit.MICROSECONDS);
          if (f == END) {
            if (waitMicros <= 0) {
              break;
            }
            continue;
          }
          taken(f);
          if (f.receivedAtMicros() > untilMicros) {
            break;
          }
          if (avi == null) {
            int[] size = size(f);
            avi = AviWriter.create(partial, size[0], size[1]);
          }
          avi.write(f.receivedAtMicros(), f.jpeg().asByteBuffer());
          frames++;
          bytesWritten = avi.bytes();
        }
        ring.unfollow(this);
        if (avi == null) {
          log.info("clip of camera '{}' not saved: no frames from the camera in its time", cameraId);
          return;
        }
        avi.close();
        avi = null;
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        log.info("clip {} of camera '{}' saved: {} frames{}", file.getFileName(), cameraId, frames,
            leftOut.get() == 0 ? "" : ", " + leftOut.get() + " left out (the disk was too slow)");
      } catch (IOException e) {
        log.warn("clip {} of camera '{}' failed: {}", file.getFileName(), cameraId, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        ring.unfollow(this);
        saving.remove(file);
        if (avi != null) {
          try {
            avi.close();
          } catch (IOException e) {
            // already failing
          }
        }
        try {
          Files.deleteIfExists(partial);
        } catch (IOException e) {
          log.debug("could not delete {}: {}", partial, e.toString());
        }
      }
    }

    private int[] size(CameraFrame f) throws IOException {
      if (f.width() > 0 && f.height() > 0) {
        return new int[] {f.width(), f.height()};
      }
      try {
        JpegInfo info = JpegInfo.of(f.jpeg());
        return new int[] {info.width(), info.height()};
      } catch (dev.camrelay.frame.jpeg.JpegFormatException e) {
        throw new IOException("a frame without a size: " + e.getMessage(), e);
      }
    }
  }
}
