package dev.camrelay.relay.internal.port.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format, version 0.0.4.
 *
 * <pre>
 * # HELP camrelay_camera_frames_in_total Complete JPEG frames received from the camera.
 * # TYPE camrelay_camera_frames_in_total counter
 * camrelay_camera_frames_in_total{camera="garage"} 1234
 * </pre>
 *
 * <p>All samples of one family are written together under one HELP/TYPE pair (the format requires it), whatever
 * order {@link #sample} is called in. Label values are escaped ({@code \\}, {@code \"}, {@code \n}).
 */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  enum Type { COUNTER, GAUGE }

  private record Family(String help, Type type, StringBuilder samples) {}

  private final Map<String, Family> families = new LinkedHashMap<>();

  /** Declares a family; must come before its samples. */
  PrometheusText family(String name, Type type, String help) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid metric name " + name);
    }
    families.putIfAbsent(name, new Family(help, type, new StringBuilder()));
    return this;
  }

  /** Adds one sample; {@code labels} alternate name, value. */
  PrometheusText sample(String name, double value, String... labels) {
    Family family = families.get(name);
    if (family == null) {
      throw new IllegalArgumentException("undeclared metric family " + name);
    }
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels must be name/value pairs");
    }
    StringBuilder out = family.samples();
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (!LABEL.matcher(labels[i]).matches()) {
          throw new IllegalArgumentException("invalid label name " + labels[i]);
        }
        if (i > 0) {
          out.append(',');
        }
        out.append(labels[i]).append("=\"");
        escapeLabelValue(labels[i + 1], out);
        out.append('"');
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
    return this;
  }

  /** The exposition text: every declared family with HELP and TYPE lines, then its samples. */
  String text() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Family> entry : families.entrySet()) {
      Family family = entry.getValue();
      out.append("# HELP ").append(entry.getKey()).append(' ');
      escapeHelp(family.help(), out);
      out.append('\n');
      out.append("# TYPE ").append(entry.getKey()).append(' ')
          .append(family.type() == Type.COUNTER ? "counter" : "gauge").append('\n');
      out.append(family.samples());
    }
    return out.toString();
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  private static void escapeLabelValue(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private static void escapeHelp(String help, StringBuilder out) {
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
