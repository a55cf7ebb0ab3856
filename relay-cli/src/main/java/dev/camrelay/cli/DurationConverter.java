package dev.camrelay.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a duration such as {@code 500ms}, {@code 15s}, {@code 1.5s}, {@code 2m}, {@code 1h}, {@code 7d}, ISO-8601
 * {@code PT15S}, or a bare {@code 0} (options whose help says "0 = never" or "0 = off"; options that need a positive
 * duration check that themselves).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SIMPLE.matcher(v);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double millis = switch (m.group(2)) {
        case "ms" -> n;
        case "s" -> n * 1000;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        default -> n * 86_400_000;
      };
      if (millis > Long.MAX_VALUE / 2) {
        throw new TypeConversionException("'" + value + "' is too long");
      }
      return Duration.ofMillis(Math.round(millis));
    }
    if (v.startsWith("pt")) {
      try {
        Duration d = Duration.parse(value.trim());
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 15s, 2m, 7d)");
  }
}
