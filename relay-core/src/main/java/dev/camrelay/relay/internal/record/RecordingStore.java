package dev.camrelay.relay.internal.record;

import dev.camrelay.frame.wire.CameraId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recordings under one folder ({@code --record-dir}), read side: one per relay, shared by the recorder (which
 * tells it which segments are being written) and the HTTP routes. Thread-safe; every call reads the disk, so it sees
 * segments as the recorder flushes them (at least once a second) and as retention deletes them.
 *
 * <p>Layout: {@code DIR/{cameraId}/{start}.avi} with its sidecar {@code {start}.times} ({@link FrameTimes}), where
 * {@code start} is the first frame's UTC time as {@code yyyyMMdd'T'HHmmss.SSSSSS'Z'}, so names sort by start time.
 * Times are the relay's wall clock when it received each frame ({@code CameraFrame.receivedAtMicros}), in
 * microseconds since the epoch. Within a segment they never decrease (the recorder starts a new segment when the
 * clock steps back).
 */
public final class RecordingStore {
  /** A pause between two frames longer than this (5 s) splits recorded time ranges. */
  public static final long GAP_MICROS = 5_000_000;
  static final String AVI = ".avi";

  private final Path dir;
  private final Set<Path> recording = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Path, Finished> finished = new ConcurrentHashMap<>();

  /**
   * What a segment's files looked like when last read, with what was read from them: the summary (first and last
   * record only) and, once asked for, the ranges (a scan of every record).
   */
  private record Finished(long aviBytes, long timesBytes, Segment segment, List<TimeRange> ranges) {}

  public RecordingStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The recordings folder. */
  public Path dir() {
    return dir;
  }

  /**
   * The folder of camera {@code cameraId}: {@code DIR/{cameraId}}, checked to lie directly inside {@link #dir()}.
   *
   * @throws IllegalArgumentException if the id does not follow the camera id rule
   */
  public Path cameraDir(String cameraId) {
    CameraId.check(cameraId);
    Path p = dir.resolve(cameraId).normalize();
    if (!dir.equals(p.getParent())) {
      throw new IllegalArgumentException("camera folder outside the recordings folder: " + cameraId);
    }
    return p;
  }

  /** Cameras that have a folder of recordings, sorted. */
  public List<String> cameras() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (CameraId.isValid(name) && Files.isDirectory(p)) {
          out.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /**
   * Camera {@code cameraId}'s segments with at least one frame, oldest first; the one being written (if any) last,
   * with what is flushed so far. Empty when the camera has no recordings.
   *
   * @throws IllegalArgumentException if the id does not follow the camera id rule
   */
  public List<Segment> segments(String cameraId) {
    List<Segment> out = new ArrayList<>();
    for (Path avi : segmentFiles(cameraId)) {
      read(cameraId, avi, false).ifPresent(f -> out.add(f.segment()));
    }
    out.sort((a, b) -> Long.compare(a.startMicros(), b.startMicros()));
    return out;
  }

  /**
   * Camera {@code cameraId}'s recorded time ranges, oldest first: frames closer than {@link #GAP_MICROS} to each
   * other form one range, across segment boundaries.
   */
  public List<TimeRange> ranges(String cameraId) {
    List<TimeRange> parts = new ArrayList<>();
    for (Path avi : segmentFiles(cameraId)) {
      read(cameraId, avi, true).ifPresent(f -> parts.addAll(f.ranges()));
    }
    parts.sort((a, b) -> Long.compare(a.startMicros(), b.startMicros()));
    List<TimeRange> merged = new ArrayList<>();
    for (TimeRange r : parts) {
      int last = merged.size() - 1;
      if (last >= 0 && r.startMicros() - merged.get(last).endMicros() <= GAP_MICROS) {
        TimeRange prev = merged.get(last);
        merged.set(last, new TimeRange(prev.startMicros(), Math.max(prev.endMicros(), r.endMicros())));
      } else {
        merged.add(r);
      }
    }
    return merged;
  }

  /**
   * The recorded frame nearest {@code epochMicros}, or empty when that moment lies outside every recorded range
   * ({@link #ranges}).
   */
  public Optional<RecordedFrame> nearest(String cameraId, long epochMicros) {
    if (ranges(cameraId).stream().noneMatch(r -> r.contains(epochMicros))) {
      return Optional.empty();
    }
    RecordedFrame best = null;
    for (Segment s : segments(cameraId)) {
      if (s.startMicros() - GAP_MICROS > epochMicros || s.endMicros() + GAP_MICROS < epochMicros) {
        continue;
      }
      try (SegmentReader r = SegmentReader.open(s.file())) {
        RecordedFrame f = r.nearest(epochMicros);
        if (f != null && (best == null
            || Math.abs(f.epochMicros() - epochMicros) < Math.abs(best.epochMicros() - epochMicros))) {
          best = f;
        }
      } catch (NoSuchFileException e) {
        // deleted by retention meanwhile
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Camera {@code cameraId}'s frames received from {@code fromMicros} to {@code toMicros} (inclusive), in time order
   * across segments. The segment being written is read up to what is flushed when the cursor gets to it; the
   * cursor does not wait for frames still to come (open a new one from the last time to follow).
   */
  public FrameCursor frames(String cameraId, long fromMicros, long toMicros) {
    List<Path> files = new ArrayList<>();
    for (Segment s : segments(cameraId)) {
      if (s.endMicros() >= fromMicros && s.startMicros() <= toMicros || s.recording() && s.startMicros() <= toMicros) {
        files.add(s.file());
      }
    }
    return new Cursor(files, fromMicros, toMicros);
  }

  /** The recorder started writing {@code avi}. */
  void recordingStarted(Path avi) {
    recording.add(avi.toAbsolutePath().normalize());
  }

  /** The recorder finished {@code avi} (or gave it up after a failure). */
  void recordingEnded(Path avi) {
    Path p = avi.toAbsolutePath().normalize();
    recording.remove(p);
    finished.remove(p);
  }

  boolean isRecording(Path avi) {
    return recording.contains(avi.toAbsolutePath().normalize());
  }

  /** Forgets what it read of a file that was deleted or repaired. */
  void forget(Path avi) {
    finished.remove(avi.toAbsolutePath().normalize());
  }

  /** The camera's {@code .avi} files, sorted by name (start time); empty when it has no folder. */
  List<Path> segmentFiles(String cameraId) {
    Path cam = cameraDir(cameraId);
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(cam, "*" + AVI)) {
      for (Path p : ds) {
        out.add(p.toAbsolutePath().normalize());
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /**
   * A segment's summary, and its ranges when {@code withRanges}; cached for finished segments (a finished file
   * changes only by deletion or repair, and a changed size shows either).
   */
  private Optional<Finished> read(String cameraId, Path avi, boolean withRanges) {
    boolean live = isRecording(avi);
    Path times = FrameTimes.sidecarOf(avi);
    try {
      long aviBytes = Files.size(avi);
      long timesBytes = Files.size(times);
      Finished known = finished.get(avi);
      if (!live && known != null && known.aviBytes() == aviBytes && known.timesBytes() == timesBytes
          && (!withRanges || known.ranges() != null)) {
        return Optional.of(known);
      }
      try (FileChannel ch = FileChannel.open(times, StandardOpenOption.READ)) {
        long count = FrameTimes.count(ch);
        if (count == 0) {
          return Optional.empty();
        }
        long start = FrameTimes.read(ch, 0).receivedMicros();
        long end = Math.max(start, FrameTimes.read(ch, count - 1).receivedMicros());
        Segment seg = new Segment(cameraId, avi, start, end, count, aviBytes, live);
        Finished f = new Finished(aviBytes, timesBytes, seg, withRanges ? ranges(ch, count) : null);
        if (!live) {
          finished.put(avi, f);
        }
        return Optional.of(f);
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ranges of one segment's records: one pass over the sidecar, split where frames are over GAP apart. */
  private static List<TimeRange> ranges(FileChannel ch, long count) throws IOException {
    List<TimeRange> ranges = new ArrayList<>();
    long start = Long.MIN_VALUE;
    long prev = Long.MIN_VALUE;
    for (long i = 0; i < count; i += 4096) {
      for (FrameTimes.Entry e : FrameTimes.read(ch, i, (int) Math.min(4096, count - i))) {
        long t = e.receivedMicros();
        if (start == Long.MIN_VALUE) {
          start = t;
        } else if (t - prev > GAP_MICROS) {
          ranges.add(new TimeRange(start, prev));
          start = t;
        }
        prev = Math.max(prev, t);
      }
    }
    ranges.add(new TimeRange(start, prev));
    return List.copyOf(ranges);
  }

  /** Reads frames of one segment through its sidecar. */
  static final class SegmentReader implements AutoCloseable {
    private final FileChannel times;
    private final FileChannel avi;
    private boolean headerChecked;

    private SegmentReader(FileChannel times, FileChannel avi) {
      this.times = times;
      this.avi = avi;
    }

    static SegmentReader open(Path aviFile) throws IOException {
      FileChannel t = FileChannel.open(FrameTimes.sidecarOf(aviFile), StandardOpenOption.READ);
      try {
        return new SegmentReader(t, FileChannel.open(aviFile, StandardOpenOption.READ));
      } catch (IOException e) {
        t.close();
        throw e;
      }
    }

    /** Complete records now: the header is checked once, the size each time (the file may be growing). */
    long count() throws IOException {
      if (!headerChecked) {
        if (FrameTimes.count(times) == 0) {
          return 0;
        }
        headerChecked = true;
      }
      return Math.max(0, (times.size() - FrameTimes.HEADER_BYTES) / FrameTimes.RECORD_BYTES);
    }

    FrameTimes.Entry entry(long index) throws IOException {
      return FrameTimes.read(times, index);
    }

    long firstAtOrAfter(long micros) throws IOException {
      return FrameTimes.firstAtOrAfter(times, count(), micros);
    }

    RecordedFrame frame(FrameTimes.Entry e) throws IOException {
      ByteBuffer b = FrameTimes.readAt(avi, e.offset(), e.size());
      return new RecordedFrame(e.receivedMicros(), b.array());
    }

    RecordedFrame nearest(long micros) throws IOException {
      long n = count();
      if (n == 0) {
        return null;
      }
      long i = FrameTimes.firstAtOrAfter(times, n, micros);
      FrameTimes.Entry after = i < n ? entry(i) : null;
      FrameTimes.Entry before = i > 0 ? entry(i - 1) : null;
      FrameTimes.Entry pick = after == null
          || before != null && micros - before.receivedMicros() <= after.receivedMicros() - micros ? before : after;
      return frame(pick);
    }

    @Override
    public void close() throws IOException {
      try {
        times.close();
      } finally {
        avi.close();
      }
    }
  }

  private static final class Cursor implements FrameCursor {
    private final List<Path> files;
    private final long from;
    private final long to;
    private int fileIndex;
    private SegmentReader reader;
    private long next;
    private RecordedFrame ahead;
    private boolean done;

    Cursor(List<Path> files, long from, long to) {
      this.files = files;
      this.from = from;
      this.to = to;
    }

    @Override
    public boolean hasNext() {
      if (ahead == null && !done) {
        try {
          ahead = advance();
        } catch (IOException e) {
          close();
          throw new UncheckedIOException(e);
        }
        done = ahead == null;
      }
      return ahead != null;
    }

    @Override
    public RecordedFrame next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      RecordedFrame f = ahead;
      ahead = null;
      return f;
    }

    private RecordedFrame advance() throws IOException {
      while (true) {
        if (reader == null) {
          if (fileIndex >= files.size()) {
            return null;
          }
          try {
            reader = SegmentReader.open(files.get(fileIndex++));
          } catch (NoSuchFileException e) {
            return null; // retention deleted it: the rest of the range is gone or later
          }
          next = reader.firstAtOrAfter(from);
        }
        if (next < reader.count()) {
          FrameTimes.Entry e = reader.entry(next++);
          if (e.receivedMicros() > to) {
            return null;
          }
          return reader.frame(e);
        }
        reader.close();
        reader = null;
      }
    }

    @Override
    public void close() {
      done = true;
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException e) {
          // read-only channels: nothing was lost
        }
        reader = null;
      }
    }
  }
}
