package dev.camrelay.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a byte count such as {@code 4MiB}, {@code 512KiB}, {@code 300k} or {@code 1048576}. K/KB/KiB and M/MB/MiB
 * all mean powers of 1024 (camera frame sizes are always thought of that way), as do G and T; the result must fit an
 * int ({@link Large}: a long).
 */
final class ByteSizeConverter implements ITypeConverter<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

  @Override
  public Integer convert(String value) {
    return (int) parse(value, Integer.MAX_VALUE, "2047MiB");
  }

  /** As {@link #convert}, for sizes up to {@code max} (named {@code maxText} in the error). */
  static long parse(String value, long max, String maxText) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not a size (e.g. 4MiB, 512KiB, 200000)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long scale = switch (unit.charAt(0)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      case 't' -> 1L << 40;
      default -> 1L;
    };
    if (n == 0) {
      throw new TypeConversionException("size must be positive: '" + value + "'");
    }
    if (n > max / scale) {
      throw new TypeConversionException("'" + value + "' is too large (at most " + maxText + ")");
    }
    return n * scale;
  }

  /** Sizes beyond 2 GiB, such as a disk quota ({@code 20GiB}, {@code 2TiB}). */
  static final class Large implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parse(value, 1L << 60, "1048576TiB");
    }
  }

  /** Formats a byte count the way the converter reads it back, e.g. 4194304 → "4MiB". */
  static String format(long bytes) {
    if (bytes % (1L << 30) == 0) {
      return bytes / (1L << 30) + "GiB";
    }
    if (bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + "MiB";
    }
    if (bytes % 1024 == 0) {
      return bytes / 1024 + "KiB";
    }
    return Long.toString(bytes);
  }
}
