package dev.camrelay.relay.internal.port.rtsp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * RTSP Digest authentication (RFC 2617, MD5, with or without {@code qop=auth}) where the password is a relay token
 * and any user name goes: {@code response = MD5(MD5(user:realm:token):nonce[:nc:cnonce:qop]:MD5(method:uri))}.
 * Digest needs the tokens themselves, not their hashes, so this holds the tokens a viewer may know in advance (the
 * viewer, control and scoped viewer tokens) and tries each one; the {@link dev.camrelay.relay.internal.auth
 * .Authenticator} then decides what the matching token opens. Share links cannot be checked this way (the relay does
 * not know them before they arrive): they work with Basic and {@code ?token=}. Every candidate is computed and
 * compared in constant time, whichever matches; nothing here is logged.
 */
final class RtspDigest {
  static final String REALM = "camrelay";

  private final List<String> tokens = new ArrayList<>();

  /**
   * @param viewerTokens the tokens that may watch (the viewer, the control and the scoped viewer tokens); nulls are
   *     skipped
   */
  RtspDigest(Collection<String> viewerTokens) {
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
   * The token the Digest {@code authorization} used as password to answer {@code nonce} for {@code method} on the
   * URI it names, or null when it answers with none of them.
   */
  String verify(String authorization, String method, String nonce) {
    Map<String, String> p = parameters(authorization.substring(7));
    String user = p.get("username");
    String uri = p.get("uri");
    String response = p.get("response");
    if (user == null || uri == null || response == null || !nonce.equals(p.get("nonce"))
        || !REALM.equals(p.get("realm"))) {
      return null;
    }
    String qop = p.get("qop");
    String ha2 = md5(method + ":" + uri);
    byte[] given = response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    String matched = null;
    for (String token : tokens) { // every candidate, so the time does not tell which one matched
      String ha1 = md5(user + ":" + REALM + ":" + token);
      String expected = qop == null ? md5(ha1 + ":" + nonce + ":" + ha2)
          : md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":" + qop + ":" + ha2);
      if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given) && matched == null) {
        matched = token;
      }
    }
    return matched;
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
