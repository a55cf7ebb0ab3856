package dev.camrelay.frame.mjpeg;

import java.io.IOException;

/**
 * A multipart MJPEG stream (or its Content-Type header) that cannot be read any further; the message says what
 * was seen, e.g. {@code "no boundary line \"--frame\" within 4259840 bytes (saw 3c 68 74 6d …)"}.
 */
public final class MjpegFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message says what was seen. */
  public MjpegFormatException(String message) {
    super(message);
  }
}
