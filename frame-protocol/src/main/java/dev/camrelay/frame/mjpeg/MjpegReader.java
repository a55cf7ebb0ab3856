package dev.camrelay.frame.mjpeg;

import dev.camrelay.frame.internal.BufferFeeder;
import dev.camrelay.frame.internal.ByteScan;
import dev.camrelay.frame.internal.JpegWalker;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegSplitter;
import dev.camrelay.frame.jpeg.JpegSplitter.Discard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Push decoder of a {@code multipart/x-mixed-replace} HTTP body (MJPEG over HTTP): bytes in, JPEG frames out.
 *
 * <pre>
 * BEFORE (the ESP32 CameraWebServer's :81/stream body, after HTTP de-chunking; cut anywhere):
 * \r\n
 * --123456789000000000000987654321\r\n
 * Content-Type: image/jpeg\r\n
 * Content-Length: 34567\r\n
 * X-Timestamp: 1718000000.123456\r\n
 * \r\n
 * FF D8 ... FF D9                      (34567 bytes)
 * \r\n
 * --123456789000000000000987654321\r\n
 * ...
 *
 * AFTER: onFrame(JpegFrame 34567 bytes), onFrame(...), ...
 * </pre>
 *
 * <p>Tolerant of what real cameras send: a leading CRLF or none; delimiter lines with any number of leading
 * dashes (so {@code boundary=--foo} and {@code boundary=foo} both work); LF-only line ends; header names in any
 * case; trailing whitespace after the delimiter; the close delimiter {@code --foo--}; parts with
 * {@code Content-Length} (read by length, never searched for the boundary) and without it (the JPEG's end is
 * found by walking its structure, as {@link JpegSplitter} does); a JPEG that follows the delimiter line with no
 * headers or blank line. The {@code Content-Type} of a part is not trusted: every body is validated as a JPEG.
 *
 * <p>Discards, reported through {@link JpegSplitter.Listener#onDiscard}: {@link Discard#CORRUPT} for a part
 * that is not one valid JPEG; {@link Discard#OVERSIZED} for a part larger than {@code maxFrameBytes} (checked
 * against {@code Content-Length} before allocating; the part is skipped without buffering);
 * {@link Discard#GARBAGE} for lines outside parts and bytes after a JPEG's EOI inside its part;
 * {@link Discard#TRUNCATED} for a part cut off by {@link #endOfStream()}.
 *
 * <p>Limits: holds at most {@code maxFrameBytes} of frame data plus a line buffer (and a 16 KiB copy buffer once
 * fed a direct or read-only {@link ByteBuffer}); part headers may total
 * {@value #MAX_HEADER_BYTES} bytes; at most {@code maxFrameBytes + 65536} bytes may pass without a delimiter
 * line before the stream is declared out of sync. Exceeding those throws {@link MjpegFormatException}, after
 * which the reader is unusable (close the connection). Not thread-safe; listener calls happen inside
 * {@code feed} on the caller's thread.
 */
public final class MjpegReader {
  /** Largest total size of one part's header lines. */
  public static final int MAX_HEADER_BYTES = 16 * 1024;

  private static final int LINE_KEEP = 512; // longer lines are counted, only their start is kept
  private static final int INITIAL_BUFFER = 64 * 1024;

  private static final int S_BOUNDARY = 0; // lines until a delimiter line
  private static final int S_HEADERS = 1; // header lines until a blank line
  private static final int S_BODY_LENGTH = 2; // Content-Length bytes into body[]
  private static final int S_BODY_SKIP = 3; // Content-Length bytes of an oversized part, dropped
  private static final int S_BODY_SOI = 4; // no Content-Length: expecting FF D8
  private static final int S_BODY_WALK = 5; // no Content-Length: walking the JPEG
  private static final int S_BODY_WALK_SKIP = 6; // no Content-Length, too big: walking without storing
  private static final int S_FAILED = 7;

  private final String boundary; // without leading dashes
  private final int maxFrameBytes;
  private final JpegSplitter.Listener listener;
  private final long syncLimit;
  private final JpegWalker walker = new JpegWalker();
  private final BufferFeeder feeder = new BufferFeeder();

  private int state = S_BOUNDARY;
  private final byte[] line = new byte[LINE_KEEP];
  private int lineKept;
  private long lineLength;
  private int headerBytes;
  private long contentLength = -1;
  private String partType;
  private long parts;

  private byte[] body; // S_BODY_LENGTH: exact size; S_BODY_WALK: growable
  private int bodyFill;
  private long skipRemaining; // S_BODY_SKIP
  private long skipped; // S_BODY_WALK_SKIP
  private int soiSeen; // S_BODY_SOI: 1 after FF

  private long garbageRun;
  private final byte[] garbageHead = new byte[8];
  private int garbageHeadLength;
  private long sinceDelimiter;

  /**
   * Extracts the boundary parameter from a Content-Type header value such as
   * {@code multipart/x-mixed-replace;boundary=123456789000000000000987654321} or
   * {@code multipart/x-mixed-replace; boundary="--myboundary"}. The value is returned unquoted but otherwise as
   * given (leading dashes are kept; the reader accepts them either way).
   *
   * @throws MjpegFormatException if the type is not multipart or has no usable boundary
   */
  public static String boundaryOf(String contentTypeHeader) throws MjpegFormatException {
    if (contentTypeHeader == null) {
      throw new MjpegFormatException("no Content-Type header (expected multipart/x-mixed-replace; boundary=...)");
    }
    int semicolon = contentTypeHeader.indexOf(';');
    String type = (semicolon < 0 ? contentTypeHeader : contentTypeHeader.substring(0, semicolon))
        .strip().toLowerCase(Locale.ROOT);
    if (!type.startsWith("multipart/")) {
      throw new MjpegFormatException("Content-Type \"" + contentTypeHeader.strip()
          + "\" is not multipart (expected multipart/x-mixed-replace; boundary=...)");
    }
    int at = indexOfParam(contentTypeHeader, "boundary");
    if (at >= 0) {
      String rest = contentTypeHeader.substring(at).strip();
      String value;
      if (rest.startsWith("\"")) {
        int close = rest.indexOf('"', 1);
        value = close < 0 ? rest.substring(1) : rest.substring(1, close);
      } else {
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != ';' && !Character.isWhitespace(rest.charAt(end))) {
          end++;
        }
        value = rest.substring(0, end);
      }
      if (!stripDashes(value).isEmpty()) {
        return value;
      }
    }
    throw new MjpegFormatException("Content-Type \"" + contentTypeHeader.strip() + "\" has no boundary parameter");
  }

  /** Index just past {@code name=} of a parameter (case-insensitive, spaces allowed around '='), or -1. */
  private static int indexOfParam(String header, String name) {
    String lower = header.toLowerCase(Locale.ROOT);
    int from = lower.indexOf(';');
    while (from >= 0) {
      int p = from + 1;
      while (p < lower.length() && Character.isWhitespace(lower.charAt(p))) {
        p++;
      }
      if (lower.startsWith(name, p)) {
        int q = p + name.length();
        while (q < lower.length() && Character.isWhitespace(lower.charAt(q))) {
          q++;
        }
        if (q < lower.length() && lower.charAt(q) == '=') {
          return q + 1;
        }
      }
      from = lower.indexOf(';', p);
    }
    return -1;
  }

  /**
   * @param boundary the multipart boundary, e.g. from {@link #boundaryOf}; leading dashes are ignored
   * @param maxFrameBytes largest JPEG to emit; larger parts are skipped as {@link Discard#OVERSIZED}
   * @param listener receives frames and discard reports
   */
  public MjpegReader(String boundary, int maxFrameBytes, JpegSplitter.Listener listener) {
    Objects.requireNonNull(boundary, "boundary");
    this.boundary = stripDashes(boundary.strip());
    if (this.boundary.isEmpty() || this.boundary.length() > 200) {
      throw new IllegalArgumentException("boundary must have 1..200 characters besides leading dashes, was \""
          + boundary + "\"");
    }
    if (maxFrameBytes < 4) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 4, was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.syncLimit = maxFrameBytes + 65536L;
  }

  /**
   * Consumes {@code buf[off, off+len)}; emits every frame that completes in it.
   *
   * @throws MjpegFormatException when the stream cannot be followed any more (see the class limits)
   */
  public void feed(byte[] buf, int off, int len) throws MjpegFormatException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (state == S_FAILED) {
      throw new MjpegFormatException("the reader already failed; open a new stream");
    }
    int pos = off;
    int end = off + len;
    try {
      while (pos < end) {
        switch (state) {
          case S_BOUNDARY:
          case S_HEADERS:
            pos = lines(buf, pos, end);
            break;
          case S_BODY_LENGTH:
            pos = bodyByLength(buf, pos, end);
            break;
          case S_BODY_SKIP:
            pos = skipByLength(pos, end);
            break;
          case S_BODY_SOI:
            pos = bodySoi(buf, pos, end);
            break;
          case S_BODY_WALK:
            pos = bodyWalk(buf, pos, end);
            break;
          case S_BODY_WALK_SKIP:
            pos = bodyWalkSkip(buf, pos, end);
            break;
          default:
            throw new IllegalStateException("state " + state);
        }
      }
    } catch (MjpegFormatException e) {
      state = S_FAILED;
      body = null;
      throw e;
    }
  }

  /**
   * Consumes {@code buf.remaining()} bytes, leaving its position at its limit; emits every frame that completes in
   * them. Heap buffers are read in place; direct and read-only buffers are copied through a reused
   * {@value BufferFeeder#CHUNK}-byte array, allocated on first use. After an exception the buffer's position is
   * unspecified (the reader is unusable then).
   *
   * @throws MjpegFormatException when the stream cannot be followed any more (see the class limits)
   */
  public void feed(ByteBuffer buf) throws MjpegFormatException {
    feeder.feed(buf, this::feed);
  }

  /**
   * Ends the stream: a part cut off is reported as {@link Discard#TRUNCATED}, pending garbage as
   * {@link Discard#GARBAGE}. The reader is then ready for a new body.
   */
  public void endOfStream() {
    int s = state;
    state = S_BOUNDARY;
    if (s == S_BOUNDARY) {
      if (lineLength > 0 && !blank()) {
        addGarbageLine();
      }
      endGarbageRun();
    } else if (s == S_HEADERS) {
      // A delimiter line with nothing after it is how some servers (ffmpeg) end a body: not a lost frame.
      if (headerBytes + lineLength > 0) {
        listener.onDiscard(Discard.TRUNCATED, 0, "stream ended inside the headers of part " + parts);
      }
    } else if (s == S_BODY_LENGTH || s == S_BODY_WALK || (s == S_BODY_SOI && soiSeen > 0)) {
      int have = s == S_BODY_SOI ? soiSeen : bodyFill;
      body = s == S_BODY_WALK ? body : null;
      listener.onDiscard(Discard.TRUNCATED, have, "stream ended after " + have + " bytes of part " + parts
          + (s == S_BODY_LENGTH ? " (Content-Length " + contentLength + ")" : ""));
    } else if (s == S_BODY_SKIP || s == S_BODY_WALK_SKIP) {
      long have = s == S_BODY_SKIP ? contentLength - skipRemaining : skipped;
      listener.onDiscard(Discard.OVERSIZED, have, "part " + parts + " larger than maxFrameBytes=" + maxFrameBytes
          + ", stream ended after " + have + " bytes of it");
    }
    resetLine();
    bodyFill = 0;
    sinceDelimiter = 0;
    parts = 0;
  }

  // ---- lines: delimiter search and part headers ----

  private int lines(byte[] b, int pos, int end) throws MjpegFormatException {
    while (pos < end) {
      if (state == S_HEADERS && lineLength == 0 && b[pos] == (byte) 0xFF) {
        startBody(); // a JPEG right after the delimiter line, with no headers or blank line
        return pos;
      }
      byte c = b[pos++];
      if (state == S_BOUNDARY && ++sinceDelimiter > syncLimit) {
        throw new MjpegFormatException("no boundary line \"--" + boundary + "\" within " + syncLimit + " bytes"
            + (garbageHeadLength > 0 ? " (saw " + ByteScan.hex(garbageHead, 0, garbageHeadLength, 8) + " …)" : ""));
      }
      if (c != '\n') {
        if (lineKept < LINE_KEEP) {
          line[lineKept++] = c;
        }
        lineLength++;
        if (state == S_HEADERS && headerBytes + lineLength > MAX_HEADER_BYTES) {
          throw new MjpegFormatException("headers of part " + parts + " exceed " + MAX_HEADER_BYTES + " bytes");
        }
        continue;
      }
      if (state == S_BOUNDARY) {
        boundaryLine();
      } else {
        headerLine();
        if (state != S_HEADERS) {
          return pos;
        }
      }
    }
    return pos;
  }

  private void boundaryLine() {
    int d = delimiter();
    if (d != NONE) {
      endGarbageRun();
      sinceDelimiter = 0;
      if (d == OPEN) {
        parts++;
        state = S_HEADERS;
        headerBytes = 0;
        contentLength = -1;
        partType = null;
      }
    } else if (!blank()) {
      addGarbageLine();
    }
    resetLine();
  }

  private void headerLine() throws MjpegFormatException {
    headerBytes += (int) lineLength + 1;
    if (blank()) {
      resetLine();
      startBody();
      return;
    }
    int d = delimiter();
    if (d != NONE) { // an empty part: a new one begins (or the stream closes)
      resetLine();
      if (d == OPEN) {
        parts++;
        headerBytes = 0;
        contentLength = -1;
        partType = null;
      } else {
        state = S_BOUNDARY;
      }
      return;
    }
    String text = new String(line, 0, trimmedLength(), StandardCharsets.ISO_8859_1);
    resetLine();
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return; // not a header; ignore it like browsers do
    }
    String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1).strip();
    if (name.equals("content-length")) {
      contentLength = parseLength(value);
    } else if (name.equals("content-type")) {
      partType = value;
    }
  }

  private static final int NONE = 0;
  private static final int OPEN = 1; // --boundary
  private static final int CLOSE = 2; // --boundary--

  /** Whether the current line is "--boundary" or "--boundary--" (any number of leading dashes). */
  private int delimiter() {
    if (lineLength > LINE_KEEP) {
      return NONE;
    }
    int n = trimmedLength();
    int p = 0;
    while (p < n && line[p] == '-') {
      p++;
    }
    int rest = n - p;
    int bl = boundary.length();
    if (rest != bl && rest != bl + 2) {
      return NONE;
    }
    for (int i = 0; i < bl; i++) {
      if (line[p + i] != (byte) boundary.charAt(i)) {
        return NONE;
      }
    }
    if (rest == bl) {
      return OPEN;
    }
    return line[p + bl] == '-' && line[p + bl + 1] == '-' ? CLOSE : NONE;
  }

  /** Length of the kept line without trailing CR, spaces and tabs. */
  private int trimmedLength() {
    int n = lineKept;
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t')) {
      n--;
    }
    return n;
  }

  private boolean blank() {
    return lineLength <= LINE_KEEP && trimmedLength() == 0;
  }

  private void resetLine() {
    lineKept = 0;
    lineLength = 0;
  }

  private static long parseLength(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return value.isEmpty() ? -1 : Long.MAX_VALUE;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1; // unusable: find the JPEG's end by its structure instead
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  // ---- bodies ----

  private void startBody() {
    if (contentLength > maxFrameBytes) {
      state = S_BODY_SKIP;
      skipRemaining = contentLength;
    } else if (contentLength > 0) {
      state = S_BODY_LENGTH;
      body = new byte[(int) contentLength];
      bodyFill = 0;
    } else {
      state = S_BODY_SOI;
      soiSeen = 0;
      bodyFill = 0;
    }
  }

  private int bodyByLength(byte[] b, int pos, int end) {
    int n = Math.min(end - pos, body.length - bodyFill);
    System.arraycopy(b, pos, body, bodyFill, n);
    bodyFill += n;
    if (bodyFill == body.length) {
      byte[] jpeg = body;
      body = null;
      bodyFill = 0;
      state = S_BOUNDARY;
      sinceDelimiter = 0;
      finishPart(jpeg);
    }
    return pos + n;
  }

  private int skipByLength(int pos, int end) {
    int n = (int) Math.min(end - pos, skipRemaining);
    skipRemaining -= n;
    if (skipRemaining == 0) {
      state = S_BOUNDARY;
      sinceDelimiter = 0;
      listener.onDiscard(Discard.OVERSIZED, contentLength, "part " + parts + " has Content-Length "
          + contentLength + ", more than maxFrameBytes=" + maxFrameBytes);
    }
    return pos + n;
  }

  /** Validates a complete Content-Length body; tolerates bytes after the EOI by cutting them off. */
  private void finishPart(byte[] jpeg) {
    JpegFrame frame;
    try {
      frame = JpegFrame.parse(jpeg);
    } catch (JpegFormatException e) {
      int end = endOfLeadingJpeg(jpeg);
      if (end < 0) {
        listener.onDiscard(Discard.CORRUPT, jpeg.length, "part " + parts + describeType() + " is not a valid JPEG: "
            + e.getMessage());
        return;
      }
      try {
        frame = JpegFrame.parse(Arrays.copyOf(jpeg, end));
      } catch (JpegFormatException impossible) {
        throw new IllegalStateException(impossible);
      }
      if (!onlyPadding(jpeg, end)) {
        listener.onDiscard(Discard.GARBAGE, jpeg.length - end, (jpeg.length - end)
            + " bytes after the JPEG's EOI inside part " + parts + " (Content-Length " + jpeg.length + ")");
      }
    }
    listener.onFrame(frame);
  }

  /** End of a complete JPEG at the start of {@code b} that is followed by more bytes, or -1. */
  private int endOfLeadingJpeg(byte[] b) {
    if (b.length < 2 || b[0] != (byte) 0xFF || b[1] != (byte) 0xD8) {
      return -1;
    }
    walker.startAfterSoi();
    int p = walker.walk(b, 2, b.length);
    return walker.result() == JpegWalker.COMPLETE && p < b.length ? p : -1;
  }

  private static boolean onlyPadding(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      byte c = b[i];
      if (c != 0 && c != '\r' && c != '\n' && c != ' ') {
        return false;
      }
    }
    return true;
  }

  private String describeType() {
    return partType == null || partType.toLowerCase(Locale.ROOT).startsWith("image/jp")
        ? "" : " (Content-Type " + partType + ")";
  }

  private int bodySoi(byte[] b, int pos, int end) {
    while (pos < end) {
      byte c = b[pos];
      if (soiSeen == 0) {
        if (c == '\r' || c == '\n') {
          pos++; // stray blank lines before the JPEG
          continue;
        }
        if (c == (byte) 0xFF) {
          soiSeen = 1;
          pos++;
          continue;
        }
      } else if (c == (byte) 0xD8) {
        pos++;
        walker.startAfterSoi();
        ensureBody(2);
        body[0] = (byte) 0xFF;
        body[1] = (byte) 0xD8;
        bodyFill = 2;
        state = S_BODY_WALK;
        return pos;
      }
      // Not a JPEG: drop the part; its lines will be skipped as garbage up to the next delimiter.
      listener.onDiscard(Discard.CORRUPT, soiSeen, "part " + parts + describeType()
          + " has no Content-Length and does not start with a JPEG SOI (saw "
          + (soiSeen == 1 ? "ff " : "") + ByteScan.hex(b, pos, 1, 1) + ")");
      state = S_BOUNDARY;
      sinceDelimiter = 0;
      return pos;
    }
    return pos;
  }

  private int bodyWalk(byte[] b, int pos, int end) {
    int limit = (int) Math.min(end, (long) pos + maxFrameBytes - bodyFill);
    int p = walker.walk(b, pos, limit);
    int r = walker.result();
    if (r == JpegWalker.NEED_MORE && p < end) { // at the size limit with more to come
      skipped = bodyFill + (long) (p - pos);
      bodyFill = 0;
      state = S_BODY_WALK_SKIP;
      return p;
    }
    ensureBody(bodyFill + (p - pos));
    System.arraycopy(b, pos, body, bodyFill, p - pos);
    bodyFill += p - pos;
    if (r == JpegWalker.NEED_MORE) {
      return p;
    }
    int have = bodyFill;
    bodyFill = 0;
    state = S_BOUNDARY;
    sinceDelimiter = 0;
    if (r == JpegWalker.COMPLETE) {
      try {
        listener.onFrame(JpegFrame.parse(Arrays.copyOf(body, have)));
      } catch (JpegFormatException impossible) {
        throw new IllegalStateException("walked JPEG failed validation", impossible);
      }
    } else if (r == JpegWalker.CORRUPT) {
      listener.onDiscard(Discard.CORRUPT, have, "part " + parts + " is not a valid JPEG: " + walker.error());
    } else {
      listener.onDiscard(Discard.CORRUPT, have - 2, "part " + parts
          + " has a second SOI at offset " + (have - 2) + " before the first JPEG's EOI");
      // The rest of the part is skipped as garbage up to the next delimiter.
    }
    return p;
  }

  private int bodyWalkSkip(byte[] b, int pos, int end) {
    int p = walker.walk(b, pos, end);
    skipped += p - pos;
    if (walker.result() != JpegWalker.NEED_MORE) {
      state = S_BOUNDARY;
      sinceDelimiter = 0;
      listener.onDiscard(Discard.OVERSIZED, skipped, "part " + parts + " (no Content-Length) is larger than "
          + "maxFrameBytes=" + maxFrameBytes + " (" + skipped + " bytes)");
    }
    return p;
  }

  private void ensureBody(int need) {
    if (body == null || body.length < need) {
      int cap = body == null ? 0 : body.length;
      int grown = (int) Math.min(maxFrameBytes, Math.max(need, Math.max(INITIAL_BUFFER, 2L * cap)));
      body = body == null ? new byte[grown] : Arrays.copyOf(body, grown);
    }
  }

  // ---- garbage between parts ----

  private void addGarbageLine() {
    long n = lineLength + 1;
    garbageRun += n;
    for (int i = 0; i < lineKept && garbageHeadLength < garbageHead.length; i++) {
      garbageHead[garbageHeadLength++] = line[i];
    }
  }

  private void endGarbageRun() {
    if (garbageRun > 0) {
      long run = garbageRun;
      String detail = run + " bytes outside any part, starting with "
          + ByteScan.hex(garbageHead, 0, garbageHeadLength, 8) + (run > garbageHeadLength ? " …" : "");
      garbageRun = 0;
      garbageHeadLength = 0;
      listener.onDiscard(Discard.GARBAGE, run, detail);
    }
  }

  private static String stripDashes(String s) {
    int p = 0;
    while (p < s.length() && s.charAt(p) == '-') {
      p++;
    }
    return s.substring(p);
  }

  /** Capacity of the body buffer, for tests that check memory stays bounded. */
  int bufferCapacity() {
    return body == null ? 0 : body.length;
  }
}
