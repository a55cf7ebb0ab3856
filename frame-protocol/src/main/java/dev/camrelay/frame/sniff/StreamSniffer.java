package dev.camrelay.frame.sniff;

import dev.camrelay.frame.internal.ByteScan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Tells from the first bytes of a camera connection which protocol it speaks.
 *
 * <pre>
 * first bytes             Kind       description
 * FF D8                   RAW_JPEG   "raw JPEG stream"
 * 43 52 4C 59 ("CRLY")    FRAMED     "framed camera protocol"
 * "GET " "POST" "PUT " …  UNKNOWN    "looks like HTTP (GET /stream ...)" or "looks like a WebSocket/HTTP request (GET /ws ...)"
 * 16 03 xx                UNKNOWN    "looks like TLS ClientHello (record version 03 01)"
 * "SSH-"                  UNKNOWN    "looks like SSH"
 * anything else           UNKNOWN    "unrecognised first bytes 0a 1b 2c 3d"
 * a prefix of the above   NEED_MORE  "need more bytes (have 2)"
 * </pre>
 *
 * <p>Decides as early as possible: one byte that starts none of the signatures is already {@code UNKNOWN},
 * and {@link #MAX_BYTES_NEEDED} bytes always decide. Extra bytes only enrich the description (request line,
 * WebSocket upgrade). Stateless and thread-safe.
 */
public final class StreamSniffer {
  /** What a connection speaks. */
  public enum Kind {
    /** Bare JPEGs back to back ({@code FF D8}). */
    RAW_JPEG,
    /** The framed camera protocol (magic {@code "CRLY"}). */
    FRAMED,
    /** The bytes so far fit a signature but do not decide yet. */
    NEED_MORE,
    /** Something else; the description says what it looks like. */
    UNKNOWN
  }

  /** The verdict and a short human description of what was seen, for logs and error replies. */
  public record Result(Kind kind, String description) {
    public Result {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(description, "description");
    }
  }

  /** Bytes that always suffice for a verdict other than {@link Kind#NEED_MORE}. */
  public static final int MAX_BYTES_NEEDED = 4;

  private static final int HTTP = 0;
  private static final int OTHER = 1;

  private record Signature(byte[] prefix, Kind kind, int family, String description) {}

  private static final List<Signature> SIGNATURES = List.of(
      sig(new byte[] {(byte) 0xFF, (byte) 0xD8}, Kind.RAW_JPEG, OTHER, "raw JPEG stream"),
      sig("CRLY".getBytes(StandardCharsets.US_ASCII), Kind.FRAMED, OTHER, "framed camera protocol"),
      http("GET "), http("HEAD"), http("POST"), http("PUT "), http("DELE"), http("OPTI"), http("PATC"),
      http("CONN"), http("TRAC"),
      sig("PRI ".getBytes(StandardCharsets.US_ASCII), Kind.UNKNOWN, OTHER, "looks like HTTP/2 (PRI * HTTP/2.0)"),
      sig("SSH-".getBytes(StandardCharsets.US_ASCII), Kind.UNKNOWN, OTHER, "looks like SSH"),
      sig(new byte[] {0x16, 0x03}, Kind.UNKNOWN, OTHER, "looks like TLS ClientHello"));

  private StreamSniffer() {}

  private static Signature sig(byte[] prefix, Kind kind, int family, String description) {
    return new Signature(prefix, kind, family, description);
  }

  private static Signature http(String prefix) {
    return sig(prefix.getBytes(StandardCharsets.US_ASCII), Kind.UNKNOWN, HTTP, null);
  }

  /** Classifies the first {@code len} bytes of a connection, {@code buf[off, off+len)}. */
  public static Result sniff(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len == 0) {
      return new Result(Kind.NEED_MORE, "need more bytes (have 0)");
    }
    boolean partial = false;
    for (Signature s : SIGNATURES) {
      int n = Math.min(len, s.prefix.length);
      if (!startsWith(buf, off, s.prefix, n)) {
        continue;
      }
      if (n < s.prefix.length) {
        partial = true;
        continue;
      }
      return new Result(s.kind, describe(s, buf, off, len));
    }
    if (partial) {
      return new Result(Kind.NEED_MORE, "need more bytes (have " + len + ")");
    }
    return new Result(Kind.UNKNOWN, "unrecognised first bytes " + ByteScan.hex(buf, off, len, MAX_BYTES_NEEDED));
  }

  private static boolean startsWith(byte[] buf, int off, byte[] prefix, int n) {
    for (int i = 0; i < n; i++) {
      if (buf[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Signature s, byte[] buf, int off, int len) {
    if (s.family == HTTP) {
      return describeHttp(buf, off, len);
    }
    if (s.prefix[0] == 0x16) {
      return len >= 3
          ? s.description + " (record version 03 " + ByteScan.hex(buf, off + 2, 1, 1) + ")"
          : s.description;
    }
    return s.description;
  }

  private static String describeHttp(byte[] buf, int off, int len) {
    // Show the request line's method and target as far as they arrived: "GET /stream ...".
    int n = Math.min(len, 512);
    String head = new String(buf, off, n, StandardCharsets.ISO_8859_1);
    int lineEnd = head.indexOf('\n');
    String line = (lineEnd < 0 ? head : head.substring(0, lineEnd)).strip();
    String[] parts = line.split(" ", 3);
    StringBuilder shown = new StringBuilder(printable(parts[0], 10));
    if (parts.length > 1 && (parts.length > 2 || lineEnd >= 0)) {
      shown.append(' ').append(printable(parts[1], 40));
    }
    boolean webSocket = head.toLowerCase(Locale.ROOT).contains("upgrade: websocket");
    return (webSocket ? "looks like a WebSocket/HTTP request (" : "looks like HTTP (") + shown + " ...)";
  }

  private static String printable(String s, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x21 && c < 0x7F ? c : '?');
    }
    return s.length() > max ? sb + "…" : sb.toString();
  }
}
