package dev.camrelay.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Finds {@code CAMRELAY_*} environment variables (any case) that name no setting, so a typo is not silently ignored
 * the way a config-file typo is refused ({@link EnvironmentDefaults}). Only a warning: the environment may hold
 * variables meant for something else. Names only, never values (they may be tokens).
 */
final class UnknownEnvironmentVariables {
  private static final String PREFIX = "CAMRELAY_";

  private UnknownEnvironmentVariables() {}

  /** One warning line per unknown variable, sorted by name, each naming the setting it probably meant. */
  static List<String> warnings(Map<String, String> env, CommandSpec root) {
    Set<String> keys = new HashSet<>();
    EnvironmentDefaults.collectKeys(root, keys);
    keys.add("config");
    Set<String> known = new TreeSet<>();
    keys.forEach(k -> known.add(EnvironmentDefaults.envName(k)));
    List<String> lines = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) && !known.contains(name)) {
        String guess = closest(name.toUpperCase(Locale.ROOT), known);
        lines.add(name + " is not a camrelay setting and is ignored" + (guess != null ? " (did you mean " + guess + "?)"
            : " (settings are CAMRELAY_ + a long option name, e.g. CAMRELAY_HTTP_PORT)"));
      }
    }
    return lines;
  }

  /**
   * The known name {@code upper} probably meant: itself in upper case, else the names it ends (a subcommand's
   * setting without the subcommand), else the nearest by edit distance when few edits away; null if none is close.
   */
  static String closest(String upper, Set<String> known) {
    if (known.contains(upper)) {
      return upper;
    }
    String rest = upper.substring(PREFIX.length());
    List<String> endings = known.stream().filter(k -> !rest.isEmpty() && k.endsWith("_" + rest)).toList();
    if (!endings.isEmpty()) {
      return String.join(" or ", endings);
    }
    String best = known.stream().min(Comparator.comparingInt(k -> distance(upper, k))).orElse(null);
    return best != null && distance(upper, best) <= Math.max(2, rest.length() / 3) ? best : null;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
