package dev.camrelay.relay.internal.auth;

import java.util.List;
import java.util.Map;

/**
 * Where a client's token is found, the same for every port. The first present of, in this order:
 *
 * <ol>
 *   <li>{@code Authorization: Bearer <token>} — scripts, Home Assistant, curl;</li>
 *   <li>the WebSocket subprotocol {@code bearer.<token>} — browsers, which cannot set headers on a WebSocket;</li>
 *   <li>the query parameter {@code ?token=<token>} — URLs pasted into VLC or an {@code <img>} tag.</li>
 * </ol>
 *
 * Empty values count as absent. Tokens are never logged; callers say only "no token" or "wrong token".
 */
public final class Tokens {
  /** Subprotocol prefix that carries a token: {@code bearer.<token>}. */
  public static final String BEARER_SUBPROTOCOL = "bearer.";

  private Tokens() {}

  /**
   * The token a request carries, or null.
   *
   * @param authorization the Authorization header, or null
   * @param subprotocols the Sec-WebSocket-Protocol header (comma-separated offers), or null (plain HTTP)
   * @param query decoded query parameters
   */
  public static String of(String authorization, String subprotocols, Map<String, List<String>> query) {
    String token = bearerHeader(authorization);
    if (token == null) {
      token = bearerSubprotocol(subprotocols);
    }
    if (token == null) {
      List<String> q = query.get("token");
      token = q == null || q.isEmpty() || q.get(0).isEmpty() ? null : q.get(0);
    }
    return token;
  }

  /** The token of an {@code Authorization: Bearer} header (scheme case-insensitive), or null. */
  static String bearerHeader(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = authorization.substring(7).trim();
      return t.isEmpty() ? null : t;
    }
    return null;
  }

  /** The token of the first {@code bearer.<token>} offer in a Sec-WebSocket-Protocol header, or null. */
  public static String bearerSubprotocol(String header) {
    if (header == null) {
      return null;
    }
    for (String p : header.split(",")) {
      String t = p.trim();
      if (t.startsWith(BEARER_SUBPROTOCOL) && t.length() > BEARER_SUBPROTOCOL.length()) {
        return t.substring(BEARER_SUBPROTOCOL.length());
      }
    }
    return null;
  }
}
