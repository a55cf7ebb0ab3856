package dev.camrelay.relay.internal.auth;

import java.time.Instant;
import java.util.Set;

/**
 * What one presented token lets its holder watch: every camera, some cameras (a scoped viewer token, a share link),
 * or nothing, with the reason. Made by {@link Authenticator#viewerAccess}; the ports turn a refusal into 401 and a
 * camera outside the scope into 403. Never holds the token itself.
 */
public final class ViewerAccess {
  /** Why nothing may be watched. */
  public enum Refusal {
    NO_TOKEN("no viewer token"),
    WRONG_TOKEN("wrong viewer token"),
    EXPIRED_SHARE_LINK("expired share link");

    private final String logText;

    Refusal(String logText) {
      this.logText = logText;
    }

    /** Log-safe words for the refusal, e.g. "wrong viewer token". */
    public String logText() {
      return logText;
    }
  }

  /** Every camera, for ever: relays without viewer credentials, the viewer and control tokens. */
  public static final ViewerAccess ALL = new ViewerAccess(null, null, null);

  private final Set<String> cameras;
  private final Instant expiresAt;
  private final Refusal refusal;

  private ViewerAccess(Set<String> cameras, Instant expiresAt, Refusal refusal) {
    this.cameras = cameras;
    this.expiresAt = expiresAt;
    this.refusal = refusal;
  }

  static ViewerAccess only(Set<String> cameraIds, Instant expiresAtOrNull) {
    return new ViewerAccess(Set.copyOf(cameraIds), expiresAtOrNull, null);
  }

  static ViewerAccess refused(Refusal why) {
    return new ViewerAccess(Set.of(), null, why);
  }

  /** True when the token opens at least one camera. */
  public boolean granted() {
    return refusal == null;
  }

  /** Why nothing may be watched, or null when {@link #granted()}. */
  public Refusal refusal() {
    return refusal;
  }

  /** True when every camera may be watched (no viewer token needed, or the viewer or control token). */
  public boolean everyCamera() {
    return granted() && cameras == null;
  }

  public boolean mayView(String cameraId) {
    return granted() && (cameras == null || cameras.contains(cameraId));
  }

  /** When the access ends (a share link's expiry), or null for never. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** The client-facing 401 text for a refusal (HTTP body, WebSocket handshake answer). */
  public String refusalMessage() {
    if (refusal == null) {
      return null;
    }
    return switch (refusal) {
      case NO_TOKEN -> "a viewer token is required: send 'Authorization: Bearer <token>' or add ?token=<token> to the URL";
      case WRONG_TOKEN -> "the viewer token is not valid";
      case EXPIRED_SHARE_LINK -> "share link expired";
    };
  }

  /** The client-facing 403 text for a camera outside this token's scope. */
  public static String outOfScopeMessage(String cameraId) {
    return "this token does not give access to camera '" + cameraId + "'";
  }
}
