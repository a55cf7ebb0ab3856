package dev.camrelay.relay.internal.record;

/**
 * A stretch of recorded wall-clock time, microseconds since the epoch, both ends inclusive (the first and the last
 * frame's times). Gaps longer than {@link RecordingStore#GAP_MICROS} between frames split ranges.
 */
public record TimeRange(long startMicros, long endMicros) {
  public TimeRange {
    if (endMicros < startMicros) {
      throw new IllegalArgumentException("range ends before it starts: " + startMicros + ".." + endMicros);
    }
  }

  public boolean contains(long micros) {
    return micros >= startMicros && micros <= endMicros;
  }
}
