package dev.camrelay.relay.internal.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the oldest segments (by start time, across all cameras) whose last frame is older than
 * {@link RecordSettings#keep()}, then more of the oldest while all recordings together take more than
 * {@link RecordSettings#maxBytes()}. The segments being written count toward the size but are never deleted, so a
 * cap smaller than they are is exceeded until they end.
 */
final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final RecordingStore store;
  private final RecordSettings settings;

  Retention(RecordingStore store, RecordSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  private record Candidate(Path avi, long startMicros, long endMicros, long bytes, boolean recording) {}

  /**
   * Applies the rules as of {@code nowMicros} (wall clock, microseconds since the epoch).
   *
   * @return the segments deleted
   */
  int apply(long nowMicros) {
    if (settings.keep() == null && settings.maxBytes() <= 0) {
      return 0;
    }
    List<Candidate> all = candidates();
    all.sort(Comparator.comparingLong(Candidate::startMicros));
    long total = all.stream().mapToLong(Candidate::bytes).sum();
    long oldestKept = settings.keep() == null ? Long.MIN_VALUE : nowMicros - settings.keep().toNanos() / 1000;
    int deleted = 0;
    long freed = 0;
    for (Candidate c : all) {
      boolean tooOld = c.endMicros() < oldestKept;
      boolean overCap = settings.maxBytes() > 0 && total > settings.maxBytes();
      if (c.recording() || !tooOld && !overCap) {
        continue;
      }
      if (delete(c.avi())) {
        deleted++;
        freed += c.bytes();
        total -= c.bytes();
      }
    }
    if (deleted > 0) {
      log.info("recording retention: deleted {} segment(s), {} bytes; recordings now take {} bytes", deleted, freed,
          total);
    }
    return deleted;
  }

  private List<Candidate> candidates() {
    List<Candidate> out = new ArrayList<>();
    for (String camera : store.cameras()) {
      Map<Path, Segment> known = new HashMap<>();
      for (Segment s : store.segments(camera)) {
        known.put(s.file(), s);
      }
      for (Path avi : store.segmentFiles(camera)) {
        try {
          long bytes = Files.size(avi) + sizeOrZero(FrameTimes.sidecarOf(avi));
          Segment s = known.get(avi);
          long start = s != null ? s.startMicros()
              : SegmentNames.startMicros(avi.getFileName().toString()).orElse(modifiedMicros(avi));
          long end = s != null ? s.endMicros() : modifiedMicros(avi);
          out.add(new Candidate(avi, start, end, bytes, store.isRecording(avi)));
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  private boolean delete(Path avi) {
    try {
      Files.deleteIfExists(avi);
      Files.deleteIfExists(FrameTimes.sidecarOf(avi));
      return true;
    } catch (IOException e) {
      log.warn("recording retention: cannot delete {}: {}", avi, e.toString());
      return false;
    } finally {
      store.forget(avi);
    }
  }

  private static long sizeOrZero(Path p) throws IOException {
    try {
      return Files.size(p);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private static long modifiedMicros(Path p) throws IOException {
    return Files.getLastModifiedTime(p).toMillis() * 1000;
  }
}
