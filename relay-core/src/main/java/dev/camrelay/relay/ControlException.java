package dev.camrelay.relay;

/**
 * Why a control command got no answer from the camera. The message is meant for people, e.g.
 * {@code camera 'garage' is offline}.
 */
public final class ControlException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure, so callers can react without parsing messages. */
  public enum Kind {
    /** No source is connected for the camera id (or the id is unknown). */
    OFFLINE,
    /** The connected camera did not declare the CONTROL capability. */
    UNSUPPORTED,
    /** The camera did not reply within the control timeout (5 s by default). */
    TIMEOUT,
    /** The camera disconnected (or was replaced) before replying. */
    DISCONNECTED,
    /** The command itself is not acceptable: not a JSON object, too large, too many pending, rate limited. */
    REJECTED
  }

  private final Kind kind;

  public ControlException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
