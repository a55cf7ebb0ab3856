package dev.camrelay.relay.internal.runtime;

import dev.camrelay.frame.sniff.StreamSniffer;
import java.nio.charset.StandardCharsets;

/**
 * Says in a log line what a client that speaks the wrong protocol on a port sent first, without repeating anything
 * secret: an HTTP request as its method and path only (the query, where {@code ?token=} travels, and the headers,
 * where {@code Authorization} and {@code bearer.} subprotocols travel, are left out), anything else as hex.
 */
public final class ClientBytes {
  /** Enough for the request line of any request worth describing. */
  public static final int PEEK_BYTES = 512;
  private static final int MAX_METHOD = 10;
  private static final int MAX_PATH = 80;
  private static final int HEX_BYTES = 8;

  private ClientBytes() {}

  /** Whether {@link StreamSniffer} took the bytes for an HTTP request (a WebSocket upgrade is one too). */
  public static boolean looksLikeHttp(StreamSniffer.Result r) {
    return r.kind() == StreamSniffer.Kind.UNKNOWN && (r.description().startsWith("looks like HTTP (")
        || r.description().startsWith("looks like a WebSocket/HTTP request"));
  }

  /**
   * {@code plain HTTP request (GET /cam/x/stream.mjpeg?<query omitted>)}, or null when the bytes do not look like an
   * HTTP request.
   */
  public static String httpRequest(byte[] buf, int off, int len) {
    if (!looksLikeHttp(StreamSniffer.sniff(buf, off, len))) {
      return null;
    }
    String head = new String(buf, off, Math.min(len, PEEK_BYTES), StandardCharsets.ISO_8859_1);
    int lineEnd = head.indexOf('\r') >= 0 ? head.indexOf('\r') : head.indexOf('\n');
    String[] parts = (lineEnd < 0 ? head : head.substring(0, lineEnd)).split(" ", 3);
    StringBuilder out = new StringBuilder("plain HTTP request (");
    printable(out, parts[0], MAX_METHOD);
    if (parts.length > 1) {
      String target = parts[1];
      int query = indexOfAny(target, '?', '#');
      out.append(' ');
      printable(out, query < 0 ? target : target.substring(0, query), MAX_PATH);
      if (query >= 0) {
        out.append("?<query omitted>");
      }
    }
    return out.append(')').toString();
  }

  /** {@code not TLS (first bytes 6b 3f 00 01 ...)}: for a TLS port. */
  public static String notTls(byte[] buf, int off, int len) {
    return "not TLS (first bytes " + hex(buf, off, len) + ")";
  }

  /** Up to the first eight bytes in hex, {@code "6b 3f 00 01 ..."} when there were more. */
  public static String hex(byte[] buf, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(len, HEX_BYTES); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(Character.forDigit((buf[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(buf[off + i] & 0xf, 16));
    }
    return len > HEX_BYTES ? sb + " ..." : sb.toString();
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  private static void printable(StringBuilder out, String s, int max) {
    for (int i = 0; i < Math.min(s.length(), max); i++) {
      char c = s.charAt(i);
      out.append(c > 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > max) {
      out.append("...");
    }
  }
}
