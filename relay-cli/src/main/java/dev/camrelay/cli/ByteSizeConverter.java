package dev.camrelay.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a byte count such as {@code 4MiB}, {@code 512KiB}, {@code 300k} or {@code 1048576}. K/KB/KiB and M/MB/MiB
 * all mean powers of 1024 (camera frame sizes are always thought of that way); the result must fit an int.
 */
final class ByteSizeConverter implements ITypeConverter<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  @Override
  public Integer convert(String value) {
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
      case 'k' -> 1024L;
      case 'm' -> 1024L * 1024;
      case 'g' -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    if (n == 0) {
      throw new TypeConversionException("size must be positive: '" + value + "'");
    }
    if (n > Integer.MAX_VALUE / scale) {
      throw new TypeConversionException("'" + value + "' is too large (at most 2047MiB)");
    }
    return (int) (n * scale);
  }

  /** Formats a byte count the way the converter reads it back, e.g. 4194304 → "4MiB". */
  static String format(long bytes) {
    if (bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + "MiB";
    }
    if (bytes % 1024 == 0) {
      return bytes / 1024 + "KiB";
    }
    return Long.toString(bytes);
  }
}
