package dev.camrelay.frame.wire;

/**
 * The u16 codes carried by BYE and ERROR messages and by {@link ProtocolException#code()}.
 *
 * <p>Plain {@code int} constants rather than an enum because a peer may send codes this version does not know
 * (they are valid on the wire and reported as {@code "code N"} by {@link #name(int)}).
 */
public final class ErrorCode {
  /** Orderly close, nothing wrong. */
  public static final int NORMAL = 0;
  /** Bad magic, malformed payload, invalid UTF-8 or camera id, truncated field, message not allowed now. */
  public static final int PROTOCOL_ERROR = 1;
  /** Unsupported protocol version, or an unknown message type with MUST_UNDERSTAND. */
  public static final int UNSUPPORTED = 2;
  /** Unknown camera id, missing or wrong token. */
  public static final int AUTH_FAILED = 3;
  /** A payload length above the receiver's maximum or the type's limit. */
  public static final int TOO_LARGE = 4;
  /** Handshake or idle timeout. */
  public static final int TIMEOUT = 5;
  /** A FRAME payload that is not one complete JPEG. */
  public static final int BAD_FRAME = 6;
  /** The camera does not accept control commands. */
  public static final int CONTROL_UNSUPPORTED = 7;
  /** Too many connections, frames, or wrong tokens from one address. */
  public static final int RATE_LIMITED = 8;
  /** The sender is shutting down. */
  public static final int SHUTTING_DOWN = 9;
  /** Another connection took this camera id. */
  public static final int REPLACED = 10;

  private static final String[] NAMES = {
    "NORMAL", "PROTOCOL_ERROR", "UNSUPPORTED", "AUTH_FAILED", "TOO_LARGE", "TIMEOUT", "BAD_FRAME",
    "CONTROL_UNSUPPORTED", "RATE_LIMITED", "SHUTTING_DOWN", "REPLACED"
  };

  private ErrorCode() {}

  /** The constant's name, e.g. {@code "TOO_LARGE"}, or {@code "code 42"} for a code this version does not define. */
  public static String name(int code) {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "code " + code;
  }
}
