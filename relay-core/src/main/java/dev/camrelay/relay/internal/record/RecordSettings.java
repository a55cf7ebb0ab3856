package dev.camrelay.relay.internal.record;

import dev.camrelay.frame.wire.CameraId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to record and how long to keep it; immutable, checked by {@link Builder}.
 *
 * @param dir the recordings folder ({@code --record-dir})
 * @param cameras the cameras to record; empty means every camera
 * @param segment length of a segment file (default 5 min)
 * @param keep delete segments whose last frame is older than this; null keeps them
 * @param maxBytes delete the oldest segments while all recordings together (the ones being written included) take
 *     more than this many bytes; 0 for no cap
 * @param memoryBytes frames waiting for the disk may take at most this much memory; beyond it frames are dropped
 *     (and counted)
 */
public record RecordSettings(Path dir, Set<String> cameras, Duration segment, Duration keep, long maxBytes,
    long memoryBytes) {
  public static final Duration DEFAULT_SEGMENT = Duration.ofMinutes(5);
  public static final long DEFAULT_MEMORY_BYTES = 64L << 20;

  public RecordSettings {
    Objects.requireNonNull(dir, "dir");
    cameras = Set.copyOf(cameras);
    Objects.requireNonNull(segment, "segment");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether camera {@code cameraId} is recorded. */
  public boolean records(String cameraId) {
    return cameras.isEmpty() || cameras.contains(cameraId);
  }

  @Override
  public String toString() {
    return "recording to " + dir + " (" + (cameras.isEmpty() ? "all cameras" : String.join(",", new TreeSet<>(cameras)))
        + ", segments of " + segment.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
        + (keep != null ? ", kept " + keep.toString().substring(2).toLowerCase(java.util.Locale.ROOT) : "")
        + (maxBytes > 0 ? ", at most " + maxBytes + " bytes" : "") + ")";
  }

  /** Settings with their defaults; every setter checks its value and throws {@link IllegalArgumentException}. */
  public static final class Builder {
    private Path dir;
    private Set<String> cameras = Set.of();
    private Duration segment = DEFAULT_SEGMENT;
    private Duration keep;
    private long maxBytes;
    private long memoryBytes = DEFAULT_MEMORY_BYTES;

    private Builder() {}

    public Builder dir(Path dir) {
      this.dir = Objects.requireNonNull(dir, "recordDir");
      return this;
    }

    public Builder cameras(Set<String> cameraIds) {
      Objects.requireNonNull(cameraIds, "recordCameras").forEach(CameraId::check);
      this.cameras = Set.copyOf(cameraIds);
      return this;
    }

    public Builder segment(Duration length) {
      Objects.requireNonNull(length, "recordSegment");
      if (length.compareTo(Duration.ofSeconds(1)) < 0 || length.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("recordSegment must be between 1 s and 24 h, got " + length);
      }
      this.segment = length;
      return this;
    }

    public Builder keep(Duration age) {
      Objects.requireNonNull(age, "recordKeep");
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("recordKeep must be positive, got " + age);
      }
      this.keep = age;
      return this;
    }

    public Builder maxBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("recordMaxBytes must be positive, got " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    public Builder memoryBytes(long bytes) {
      if (bytes < 1 << 20) {
        throw new IllegalArgumentException("record memory must be at least 1 MiB, got " + bytes);
      }
      this.memoryBytes = bytes;
      return this;
    }

    /** Whether any setting was given (then {@link #build()} needs a folder). */
    public boolean configured() {
      return dir != null || !cameras.isEmpty() || segment != DEFAULT_SEGMENT || keep != null || maxBytes > 0;
    }

    /**
     * The settings, or null when nothing was configured.
     *
     * @throws IllegalArgumentException when recording settings are given without a folder
     */
    public RecordSettings build() {
      if (dir == null) {
        if (configured()) {
          throw new IllegalArgumentException("recordCameras, recordSegment, recordKeep and recordMaxBytes need recordDir");
        }
        return null;
      }
      return new RecordSettings(dir, cameras, segment, keep, maxBytes, memoryBytes);
    }
  }
}
