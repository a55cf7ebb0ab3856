package dev.camrelay.relay.internal.port.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict test-side parser of the Prometheus text format 0.0.4: throws on any line the format does not allow, on a
 * sample before its family's TYPE line, on a family declared twice, and on families whose samples are interleaved.
 */
final class PrometheusTextParser {
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? ([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))( -?[0-9]+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

  final Map<String, String> types = new LinkedHashMap<>();
  final Map<String, String> helps = new HashMap<>();
  final List<Sample> samples = new ArrayList<>();

  /** A summary's or histogram's {@code _count}, {@code _sum} or {@code _bucket} sample belongs to its family. */
  private boolean summaryPart(String name, String family) {
    String type = family == null ? null : types.get(family);
    return ("summary".equals(type) || "histogram".equals(type)) && (name.equals(family + "_count")
        || name.equals(family + "_sum") || "histogram".equals(type) && name.equals(family + "_bucket"));
  }

  static PrometheusTextParser parse(String text) {
    PrometheusTextParser parser = new PrometheusTextParser();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("exposition must end with a newline");
    }
    String current = null;
    java.util.Set<String> finished = new java.util.HashSet<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        if (parser.helps.put(m.group(1), m.group(2)) != null) {
          throw new IllegalArgumentException("second HELP for " + m.group(1));
        }
      } else if ((m = TYPE.matcher(line)).matches()) {
        if (parser.types.containsKey(m.group(1))) {
          throw new IllegalArgumentException("second TYPE for " + m.group(1));
        }
        if (current != null) {
          finished.add(current);
        }
        current = m.group(1);
        parser.types.put(current, m.group(2));
      } else if (line.startsWith("#")) {
        throw new IllegalArgumentException("comment lines other than HELP/TYPE are not expected: " + line);
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        String name = m.group(1);
        if (!name.equals(current) && !parser.summaryPart(name, current)) {
          throw new IllegalArgumentException("sample " + name + " outside its family (current " + current + ")");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null && !m.group(3).isEmpty()) {
          for (String pair : splitLabels(m.group(3))) {
            Matcher lm = LABEL.matcher(pair);
            if (!lm.matches()) {
              throw new IllegalArgumentException("bad label " + pair + " in " + line);
            }
            labels.put(lm.group(1), lm.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
          }
        }
        String v = m.group(4);
        double value = v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
            : Double.parseDouble(v);
        parser.samples.add(new Sample(name, labels, value));
      } else {
        throw new IllegalArgumentException("not a Prometheus text line: " + line);
      }
    }
    return parser;
  }

  private static List<String> splitLabels(String body) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && quoted && i + 1 < body.length()) {
        current.append(c).append(body.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      parts.add(current.toString());
    }
    return parts;
  }

  /** The value of the sample with this name and label set, or throws. */
  double value(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in " + samples))
        .value();
  }
}
