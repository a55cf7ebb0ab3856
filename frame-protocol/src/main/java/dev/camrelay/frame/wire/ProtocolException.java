package dev.camrelay.frame.wire;

import java.io.IOException;

/**
 * The peer violated the framed camera protocol; {@link #code()} is the {@link ErrorCode} to answer with in an
 * ERROR message before closing. The message says exactly what was wrong and never contains a token.
 */
public final class ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** A violation answered with {@code code} (an {@link ErrorCode} constant). */
  public ProtocolException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** The {@link ErrorCode} for the ERROR message, e.g. {@link ErrorCode#TOO_LARGE}. */
  public int code() {
    return code;
  }

  @Override
  public String toString() {
    return "ProtocolException(" + ErrorCode.name(code) + "): " + getMessage();
  }
}
