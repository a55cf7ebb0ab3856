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
 *
 * <p>The same body can also be written with <em>advance headers</em> (µStreamer's name), for browsers: Chromium
 * shows a part only once the next part's whole header block has arrived, so each JPEG is followed at once by the
 * next part's header, which therefore cannot know its {@code Content-Length} and has none:
 *
 * <pre>
 * --camrelayframe\r\n                     {@link #advanceHeader()}, once, before the first JPEG
 * Content-Type: image/jpeg\r\n
 * \r\n
 * FF D8 ... FF D9                         the JPEG
 * \r\n--camrelayframe\r\n                 {@link #advanceTrailer()}, after every JPEG: the end of this part
 * Content-Type: image/jpeg\r\n             and the header of the next one
 * \r\n
 * FF D8 ... FF D9                         the next JPEG, whenever it comes
 * ...
 * </pre>
 *
 * Readers that search for the boundary or walk the JPEG (browsers, ffmpeg, VLC, OpenCV, {@link MjpegReader}) read
 * both forms; a reader that insists on {@code Content-Length} reads only the first.
 * Stateless after construction and thread-safe.
 */
public final class MjpegWriter {
  /** The boundary used when none is given. */
  public static final String DEFAULT_BOUNDARY = "camrelayframe";

  private static final byte[] TRAILER = {'\r', '\n'};

  private final String boundary;
  private final byte[] headerStart;
  private final byte[] advanceHeader;

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
    this.advanceHeader =
        ("--" + boundary + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
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

  /**
   * With advance headers: the header of a part whose JPEG is not known yet (boundary line, Content-Type, blank
   * line; no Content-Length). Written once before the first JPEG; {@link #advanceTrailer()} carries the others.
   */
  public byte[] advanceHeader() {
    return advanceHeader.clone();
  }

  /** With advance headers: the bytes after each JPEG, CRLF and then the next part's {@link #advanceHeader()}. */
  public byte[] advanceTrailer() {
    byte[] out = new byte[TRAILER.length + advanceHeader.length];
    System.arraycopy(TRAILER, 0, out, 0, TRAILER.length);
    System.arraycopy(advanceHeader, 0, out, TRAILER.length, advanceHeader.length);
    return out;
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
