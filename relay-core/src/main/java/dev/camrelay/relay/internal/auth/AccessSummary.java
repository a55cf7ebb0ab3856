package dev.camrelay.relay.internal.auth;

import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What is open to whom, in one line for the start-up log, e.g. {@code viewers: anyone; control: the control token;
 * cameras: garage with its own token, other ids refused; raw JPEG push: refused; share links: off}. Names settings
 * and camera ids, never tokens.
 */
public final class AccessSummary {
  private AccessSummary() {}

  public static String of(RelayConfig config, Authenticator auth) {
    return "viewers: " + viewers(config, auth)
        + "; control: " + control(config, auth)
        + "; cameras: " + cameras(config)
        + "; raw JPEG push: " + (rawAllowed(config, auth) ? "accepted as camera '" + config.defaultCameraId() + "'"
            : "refused")
        + "; share links: " + shareLinks(config, auth);
  }

  /** Whether anyone who reaches the relay may watch or publish (worth a warning beyond loopback). */
  public static boolean openToStrangers(RelayConfig config, Authenticator auth) {
    return !auth.viewerAuthRequired() || config.cameraToken() == null && config.cameraTokens().isEmpty()
        || config.allowUnknownCameras() && config.cameraToken() == null || rawAllowed(config, auth);
  }

  private static boolean rawAllowed(RelayConfig config, Authenticator auth) {
    return config.allowRawIngest() && !auth.cameraAuthRequired(config.defaultCameraId());
  }

  private static String viewers(RelayConfig config, Authenticator auth) {
    if (!auth.viewerAuthRequired()) {
      return "anyone";
    }
    List<String> who = new ArrayList<>();
    if (config.viewerToken() != null) {
      who.add("the viewer or control token");
    } else if (config.controlToken() != null) {
      who.add("the control token");
    }
    if (!config.scopedViewerTokens().isEmpty()) {
      TreeSet<String> ids = new TreeSet<>();
      config.scopedViewerTokens().values().forEach(ids::addAll);
      who.add((config.scopedViewerTokens().size() == 1 ? "a scoped token for " : "scoped tokens for ")
          + String.join(", ", ids));
    }
    return who.isEmpty() ? "share links only" : String.join(", ", who);
  }

  private static String shareLinks(RelayConfig config, Authenticator auth) {
    if (!auth.shareLinksEnabled()) {
      return "off";
    }
    return config.shareKey() != null ? "on (signed with the share key)"
        : "on (key derived from the viewer token: links die when it changes)";
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
