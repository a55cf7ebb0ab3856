package dev.camrelay.relay.internal.auth;

import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.util.TreeSet;

/**
 * What is open to whom, in one line for the start-up log, e.g. {@code viewers: anyone; control: the control token;
 * cameras: garage with its own token, other ids refused; raw JPEG push: refused}. Names settings, never tokens.
 */
public final class AccessSummary {
  private AccessSummary() {}

  public static String of(RelayConfig config, Authenticator auth) {
    return "viewers: " + (auth.viewerAuthRequired() ? "the viewer or control token" : "anyone")
        + "; control: " + control(config, auth)
        + "; cameras: " + cameras(config)
        + "; raw JPEG push: " + (rawAllowed(config, auth) ? "accepted as camera '" + config.defaultCameraId() + "'"
            : "refused");
  }

  /** Whether anyone who reaches the relay may watch or publish (worth a warning beyond loopback). */
  public static boolean openToStrangers(RelayConfig config, Authenticator auth) {
    return !auth.viewerAuthRequired() || config.cameraToken() == null && config.cameraTokens().isEmpty()
        || config.allowUnknownCameras() && config.cameraToken() == null || rawAllowed(config, auth);
  }

  private static boolean rawAllowed(RelayConfig config, Authenticator auth) {
    return config.allowRawIngest() && !auth.cameraAuthRequired(config.defaultCameraId());
  }

  private static String control(RelayConfig config, Authenticator auth) {
    if (config.controlToken() != null) {
      return "the control token";
    }
    return auth.controlRequiresToken() ? "nobody (no control token set)" : "anyone on this machine (loopback, no tokens)";
  }

  private static String cameras(RelayConfig config) {
    StringBuilder out = new StringBuilder();
    if (!config.cameraTokens().isEmpty()) {
      TreeSet<String> ids = new TreeSet<>(config.cameraTokens().keySet());
      out.append(String.join(", ", ids)).append(ids.size() == 1 ? " with its own token, " : " with their own tokens, ");
    }
    if (config.cameraToken() != null) {
      out.append(out.length() == 0 ? "every id with the camera token" : "other ids with the camera token");
    } else if (config.cameraTokens().isEmpty()) {
      out.append("anyone, any id");
    } else if (config.allowUnknownCameras()) {
      out.append("other ids without a token");
    } else {
      out.append("other ids refused");
    }
    return out.toString();
  }
}
