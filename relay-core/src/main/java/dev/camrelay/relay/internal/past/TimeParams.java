package dev.camrelay.relay.internal.past;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time and duration query parameters of the past's URLs ({@code ?at=}, {@code from}, {@code to}, {@code every},
 * {@code before}, {@code after}, {@code speed}), each read from a decoded query ({@code QueryStringDecoder}) and
 * refused with a {@link BadParameter} that names the parameter and says what was wanted.
 *
 * <ul>
 *   <li>A time is epoch milliseconds ({@code 1796202000000}) or ISO-8601 with a zone or offset
 *       ({@code 2026-12-02T09:00:00Z}, {@code 2026-12-02T10:00:00.250+01:00}). A {@code +} left unencoded in a query
 *       decodes to a space; a space where the offset's sign belongs is read as {@code +}.</li>
 *   <li>A duration is {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601
 *       ({@code PT10S}); never negative.</li>
 * </ul>
 *
 * The last value counts when a parameter is repeated. Limits: years 0000-9999 only (ISO-8601's plain form).
 */
public final class TimeParams {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern MILLIS = Pattern.compile("-?\\d{1,16}");
  /** An offset whose '+' became a space in the query: "...T10:00:00 01:00". */
  private static final Pattern SPACED_OFFSET = Pattern.compile("(.*T[0-9:.]+) (\\d{2}(?::?\\d{2})?)$");
  private static final Map<String, Long> UNIT_MILLIS =
      Map.of("ms", 1L, "s", 1000L, "m", 60_000L, "h", 3_600_000L, "d", 86_400_000L);
  private static final long MAX_DURATION_MILLIS = TimeUnit.DAYS.toMillis(3650);

  /** A query parameter that is missing or malformed; the message names it and is safe to send back. */
  public static final class BadParameter extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadParameter(String message) {
      super(message, null);
    }
  }

  private final Map<String, List<String>> query;

  /** Over a decoded query, e.g. {@code new QueryStringDecoder(uri).parameters()}. */
  public TimeParams(Map<String, List<String>> query) {
    this.query = query;
  }

  /** Whether the query has {@code name}. */
  public boolean has(String name) {
    List<String> values = query.get(name);
    return values != null && !values.isEmpty();
  }

  /** The time {@code name} as epoch microseconds; {@link BadParameter} when absent or malformed. */
  public long timeMicros(String name) {
    return parseTimeMicros(name, required(name));
  }

  /** The time {@code name} as epoch microseconds, or {@code otherwise} when absent. */
  public long timeMicros(String name, long otherwise) {
    return has(name) ? timeMicros(name) : otherwise;
  }

  /** The duration {@code name}; {@link BadParameter} when absent or malformed. */
  public Duration duration(String name) {
    return parseDuration(name, required(name));
  }

  /** The duration {@code name}, or {@code otherwise} when absent. */
  public Duration duration(String name, Duration otherwise) {
    return has(name) ? duration(name) : otherwise;
  }

  /** A positive number {@code name} up to {@code max} (e.g. a replay speed), or {@code otherwise} when absent. */
  public double positive(String name, double otherwise, double max) {
    if (!has(name)) {
      return otherwise;
    }
    String value = required(name);
    double n;
    try {
      n = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      n = Double.NaN;
    }
    if (!(n > 0 && n <= max)) {
      throw new BadParameter(name + "=" + quote(value) + " is not a number above 0 and at most " + plain(max));
    }
    return n;
  }

  /** A time: epoch milliseconds or ISO-8601 with a zone; in epoch microseconds. */
  static long parseTimeMicros(String name, String value) {
    String v = value.trim();
    if (MILLIS.matcher(v).matches()) {
      return Math.multiplyExact(Long.parseLong(v), 1000L);
    }
    Matcher spaced = SPACED_OFFSET.matcher(v);
    if (spaced.matches()) {
      v = spaced.group(1) + "+" + spaced.group(2);
    }
    try {
      Instant t = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(v, Instant::from);
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new BadParameter(name + "=" + quote(value) + " is not a time: give epoch milliseconds"
          + " (1796202000000) or ISO-8601 with a zone (2026-12-02T09:00:00Z, 2026-12-02T10:00:00+01:00)");
    }
  }

  /** A duration: 500ms, 10s, 1.5s, 5m, 2h, 7d or ISO-8601 (PT10S). */
  static Duration parseDuration(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(v);
    Duration d = null;
    if (m.matches()) {
      double millis = Double.parseDouble(m.group(1)) * UNIT_MILLIS.get(m.group(2));
      if (millis <= MAX_DURATION_MILLIS) {
        d = Duration.ofMillis(Math.round(millis));
      }
    } else if (v.startsWith("p")) {
      try {
        d = Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        d = null;
      }
    }
    if (d == null || d.isNegative() || d.toMillis() > MAX_DURATION_MILLIS) {
      throw new BadParameter(name + "=" + quote(value) + " is not a duration: give e.g. 500ms, 10s, 5m, 2h or 1d"
          + " (at most 3650d)");
    }
    return d;
  }

  private String required(String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      throw new BadParameter("the parameter '" + name + "' is required");
    }
    return values.get(values.size() - 1);
  }

  /** The value for a message: printable ASCII, at most 40 characters (it is sent back and may be logged). */
  private static String quote(String value) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < value.length() && i < 40; i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.append(value.length() > 40 ? "...'" : "'").toString();
  }

  private static String plain(double n) {
    return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
  }
}
