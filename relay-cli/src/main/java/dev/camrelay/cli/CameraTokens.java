package dev.camrelay.cli;

import dev.camrelay.frame.wire.CameraId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --camera-token} values split into one token for every camera and per-camera tokens ({@code ID=TOKEN}).
 *
 * @param global the token every camera without its own must send, or null
 * @param perCamera camera id → token, in the order given
 */
record CameraTokens(String global, Map<String, String> perCamera) {
  /**
   * Splits the values. "abc==" (base64 padding) is a token, not camera "abc": an ID must be followed by a non-empty
   * token that does not start with '='.
   *
   * @throws IllegalArgumentException for an empty token or two different global tokens (never naming a token)
   */
  static CameraTokens parse(List<String> values) {
    String global = null;
    Map<String, String> perCamera = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      boolean perCameraForm = eq > 0 && eq < value.length() - 1 && value.charAt(eq + 1) != '='
          && CameraId.isValid(value.substring(0, eq));
      if (perCameraForm) {
        perCamera.put(value.substring(0, eq), value.substring(eq + 1));
      } else if (value.isEmpty()) {
        throw new IllegalArgumentException("--camera-token must not be empty");
      } else if (global != null && !global.equals(value)) {
        throw new IllegalArgumentException(
            "--camera-token given twice without a camera id; use ID=TOKEN for per-camera tokens");
      } else {
        global = value;
      }
    }
    return new CameraTokens(global, perCamera);
  }

  /** The token camera {@code id} must send: its own, else the global one, else null. */
  String forCamera(String id) {
    return perCamera.getOrDefault(id, global);
  }
}
