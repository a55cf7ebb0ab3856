package dev.camrelay.frame.mjpeg;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes JPEG frames as a {@code multipart/x-mixed-replace} body in the most compatible form.
 *
 * <pre>
 * BEFORE: JpegFrame (N bytes: FF D8 ... FF D9)
 *
 * AFTER (one part; the body is nothing but parts back to back):
 * --camrelayframe\r\n
 * Content-Type: image/jpeg\r\n
 * Content-Length: N\r\n
 * \r\n
 * FF D8 ... FF D9\r\n
 * </pre>
 *
 * <p>The body starts with the boundary itself (no preamble, no leading CRLF), every part carries
 * {@code Content-Type} and {@code Content-Length}, and every JPEG is followed by CRLF, so both readers that
 * trust {@code Content-Length} (browsers, ffmpeg, VLC) and readers that search for the next boundary line
 * (Home Assistant, OpenCV) find the frames. No closing delimiter is written: a live stream just ends.
 * Stateless after construction and thread-safe.
 */
public final class MjpegWriter {
  /** The boundary used when none is given. */
  public static final String DEFAULT_BOUNDARY = "camrelayframe";

  private static final byte[] TRAILER = {'\r', '\n'};

  private final String boundary;
  private final byte[] headerStart;

  /** A writer with {@link #DEFAULT_BOUNDARY}. */
  public MjpegWriter() {
    this(DEFAULT_BOUNDARY);
  }

  /**
   * @param boundary 1..70 characters from RFC 2046's boundary alphabet (letters, digits, {@code '()+_,-./:=?}),
   *     not ending in a space; it should not start with "--"
   * @throws IllegalArgumentException for an empty, too long or ill-formed boundary
   */
  public MjpegWriter(String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw new IllegalArgumentException("boundary must be 1..70 characters, was " + quote(boundary));
    }
    for (int i = 0; i < boundary.length(); i++) {
      char c = boundary.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "'()+_,-./:=?".indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException(
            "boundary " + quote(boundary) + " has a character not allowed by RFC 2046 at index " + i);
      }
    }
    this.boundary = boundary;
    this.headerStart = ("--" + boundary + "\r\nContent-Type: image/jpeg\r\nContent-Length: ")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The boundary this writer uses. */
  public String boundary() {
    return boundary;
  }

  /** The HTTP Content-Type header value, e.g. {@code multipart/x-mixed-replace; boundary=camrelayframe}. */
  public String contentType() {
    return "multipart/x-mixed-replace; boundary=" + boundary;
  }

  /** The bytes before a JPEG of {@code jpegLength} bytes: boundary line, headers and the blank line. */
  public byte[] partHeader(int jpegLength) {
    if (jpegLength < 0) {
      throw new IllegalArgumentException("jpegLength must be >= 0, was " + jpegLength);
    }
    byte[] digits = Integer.toString(jpegLength).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[headerStart.length + digits.length + 4];
    System.arraycopy(headerStart, 0, out, 0, headerStart.length);
    System.arraycopy(digits, 0, out, headerStart.length, digits.length);
    int p = headerStart.length + digits.length;
    out[p] = '\r';
    out[p + 1] = '\n';
    out[p + 2] = '\r';
    out[p + 3] = '\n';
    return out;
  }

  /** The bytes after each JPEG: CRLF. */
  public byte[] partTrailer() {
    return TRAILER.clone();
  }

  /** Writes one whole part (header, JPEG, trailer) to {@code out}. Does not flush. */
  public void writePart(OutputStream out, JpegFrame frame) throws IOException {
    out.write(partHeader(frame.size()));
    frame.writeTo(out);
    out.write(TRAILER);
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }
}
