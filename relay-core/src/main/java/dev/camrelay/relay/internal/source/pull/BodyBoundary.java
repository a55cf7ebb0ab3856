package dev.camrelay.relay.internal.source.pull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a multipart boundary at the start of a body, for servers whose Content-Type does not name one (ffmpeg's
 * {@code -f mpjpeg -listen 1} says {@code application/octet-stream}), the way browsers and VLC sniff it: the body
 * must open with a boundary line, {@code --<boundary>\r\n} (CRLF or LF, blank lines before it allowed). Looks at no
 * more than {@value #MAX_BYTES} bytes. Not thread-safe.
 *
 * <pre>
 * --ffmpeg\r\n                      → boundary "ffmpeg"
 * Content-Type: image/jpeg\r\n
 * </pre>
 */
final class BodyBoundary {
  static final int MAX_BYTES = 256;
  /** RFC 2046 boundary characters, 1..70 of them. */
  private static final Pattern LINE = Pattern.compile("^[\\r\\n]*--([0-9A-Za-z'()+_,./:=?-]{1,70})[ \\t]*\\r?\\n");

  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private String boundary;
  private boolean impossible;

  /**
   * Takes body bytes, at most until {@value #MAX_BYTES} are seen (the buffer's position moves past what was taken);
   * afterwards {@link #boundary()} or {@link #impossible()} may hold.
   */
  void feed(ByteBuffer bytes) {
    int n = Math.min(bytes.remaining(), MAX_BYTES - seen.size());
    byte[] chunk = new byte[n];
    bytes.get(chunk);
    seen.write(chunk, 0, n);
    String text = new String(seen.toByteArray(), StandardCharsets.ISO_8859_1);
    Matcher m = LINE.matcher(text);
    if (m.find()) {
      boundary = m.group(1);
      return;
    }
    String start = text.replaceFirst("^[\\r\\n]+", "");
    boolean couldStillBe = "--".startsWith(start.substring(0, Math.min(2, start.length())))
        && start.indexOf('\n') < 0 && start.length() < 2 + 70 + 2;
    impossible = !couldStillBe || seen.size() >= MAX_BYTES;
  }

  /** The boundary found, or null. */
  String boundary() {
    return boundary;
  }

  /** True when the body cannot start with a boundary line. */
  boolean impossible() {
    return boundary == null && impossible;
  }

  /** Everything read so far (the caller feeds it to the MJPEG reader once the boundary is known). */
  ByteBuffer seen() {
    return ByteBuffer.wrap(seen.toByteArray());
  }
}
