package dev.camrelay.cli;

import dev.camrelay.frame.wire.CameraId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --viewer-token} values split into the token for every camera and scoped tokens ({@code ID=TOKEN},
 * {@code ID,ID=TOKEN}).
 *
 * @param global the token that opens every camera, or null
 * @param scoped token → the camera ids it opens, in the order given
 */
record ViewerTokens(String global, Map<String, Set<String>> scoped) {
  /**
   * Splits the values by the rule of {@link CameraTokens#parse}: "abc==" is a token, not camera "abc"; a scoped form
   * needs valid camera ids before the '=' and a non-empty token after it that does not start with '='.
   *
   * @throws IllegalArgumentException for an empty token, two different global tokens, or a value with ',' that is not
   *     a valid camera list (never naming a token)
   */
  static ViewerTokens parse(List<String> values) {
    String global = null;
    Map<String, Set<String>> scoped = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      List<String> ids = eq > 0 && eq < value.length() - 1 && value.charAt(eq + 1) != '='
          ? Arrays.asList(value.substring(0, eq).split(",", -1)) : List.of();
      if (!ids.isEmpty() && ids.stream().allMatch(CameraId::isValid)) {
        scoped.computeIfAbsent(value.substring(eq + 1), t -> new LinkedHashSet<>()).addAll(ids);
      } else if (value.isEmpty()) {
        throw new IllegalArgumentException("--viewer-token must not be empty");
      } else if (value.indexOf(',') >= 0) {
        // Most likely a mistyped camera list ("garage, porch=K" split at the space): never let it open every camera.
        throw new IllegalArgumentException("--viewer-token with ',' must be ID,ID=TOKEN with valid camera ids ("
            + CameraId.RULE + "); a token for every camera must not contain ','");
      } else if (global != null && !global.equals(value)) {
        throw new IllegalArgumentException("--viewer-token given twice without camera ids; use ID=TOKEN or"
            + " ID,ID=TOKEN for tokens that open only some cameras");
      } else {
        global = value;
      }
    }
    return new ViewerTokens(global, scoped);
  }

  /** Whether viewers need a token at all. */
  boolean any() {
    return global != null || !scoped.isEmpty();
  }
}
