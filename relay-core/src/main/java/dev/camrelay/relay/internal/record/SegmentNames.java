package dev.camrelay.relay.internal.record;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * Segment file names: the first frame's UTC time, {@code 20261202T084430.123456Z}, so that names sort by start time
 * (across cameras too) and say when they start.
 */
final class SegmentNames {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private SegmentNames() {}

  static String base(long epochMicros) {
    return FORMAT.format(Instant.EPOCH.plusNanos(epochMicros * 1000));
  }

  /** The start time a file name says, if it is a segment name. */
  static OptionalLong startMicros(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot <= 0) {
      return OptionalLong.empty();
    }
    try {
      Instant i = FORMAT.parse(fileName.substring(0, dot), Instant::from);
      return OptionalLong.of(i.getEpochSecond() * 1_000_000 + i.getNano() / 1000);
    } catch (DateTimeParseException e) {
      return OptionalLong.empty();
    }
  }
}
