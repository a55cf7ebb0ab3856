package dev.camrelay.frame.jpeg;

import java.io.IOException;

/**
 * Bytes that are not one complete, structurally valid JPEG. The message says what is wrong and where, e.g.
 * {@code "no SOI marker at offset 0 (saw 47 45)"} or {@code "invalid marker FF 05 at offset 1234"}.
 */
public final class JpegFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what is wrong and at which offset. */
  public JpegFormatException(String message) {
    super(message);
  }
}
