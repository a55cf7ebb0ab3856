package dev.camrelay.relay.internal.port.rtsp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * RTSP Digest authentication (RFC 2617, MD5, with or without {@code qop=auth}) where the password is a relay token
 * and any user name goes: {@code response = MD5(MD5(user:realm:token):nonce[:nc:cnonce:qop]:MD5(method:uri))}.
 * Digest needs the tokens themselves, not their hashes, so this holds the viewer and control tokens; it compares
 * responses in constant time and never logs them.
 */
final class RtspDigest {
  static final String REALM = "camrelay";

  private final List<String> tokens = new ArrayList<>();

  /** @param viewerTokens the tokens that may watch (the viewer and the control token); nulls are skipped */
  RtspDigest(String... viewerTokens) {
    for (String t : viewerTokens) {
      if (t != null) {
        tokens.add(t);
      }
    }
  }

  /** The WWW-Authenticate challenge for {@code nonce}. */
  static String challenge(String nonce) {
    return "Digest realm=\"" + REALM + "\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\"";
  }

  /** Whether {@code authorization} is a Digest header. */
  static boolean isDigest(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Digest ", 0, 7);
  }

  /**
   * Whether the Digest {@code authorization} answers {@code nonce} with one of the tokens as password, for
   * {@code method} on the URI it names.
   */
  boolean verify(String authorization, String method, String nonce) {
    Map<String, String> p = parameters(authorization.substring(7));
    String user = p.get("username");
    String uri = p.get("uri");
    String response = p.get("response");
    if (user == null || uri == null || response == null || !nonce.equals(p.get("nonce"))
        || !REALM.equals(p.get("realm"))) {
      return false;
    }
    String qop = p.get("qop");
    String ha2 = md5(method + ":" + uri);
    boolean ok = false;
    for (String token : tokens) {
      String ha1 = md5(user + ":" + REALM + ":" + token);
      String expected = qop == null ? md5(ha1 + ":" + nonce + ":" + ha2)
          : md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":" + qop + ":" + ha2);
      ok |= MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
          response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
    return ok;
  }

  /** {@code key=value} and {@code key="value"} pairs, comma-separated; keys lower case. */
  static Map<String, String> parameters(String s) {
    Map<String, String> out = new HashMap<>();
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = s.substring(i, eq).trim().toLowerCase(java.util.Locale.ROOT);
      int j = eq + 1;
      String value;
      if (j < s.length() && s.charAt(j) == '"') {
        int close = s.indexOf('"', j + 1);
        close = close < 0 ? s.length() : close;
        value = s.substring(j + 1, close);
        j = close + 1;
      } else {
        int comma = s.indexOf(',', j);
        comma = comma < 0 ? s.length() : comma;
        value = s.substring(j, comma).trim();
        j = comma;
      }
      out.put(key, value);
      int comma = s.indexOf(',', j);
      i = comma < 0 ? s.length() : comma + 1;
    }
    return out;
  }

  static String md5(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has MD5", e);
    }
  }
}
