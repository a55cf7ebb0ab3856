package dev.camrelay.relay.internal.port.rtsp;

import dev.camrelay.relay.internal.auth.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The viewer token an RTSP request carries: {@code Authorization: Basic} with the token as password (any user name;
 * NVRs only let users type {@code rtsp://user:pass@host/...}), else what {@link Tokens} finds ({@code Bearer}, then
 * {@code ?token=} on the URL). Never logged.
 */
final class RtspCredentials {
  private RtspCredentials() {}

  static String token(String authorization, Map<String, List<String>> query) {
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String userPass = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
            StandardCharsets.UTF_8);
        int colon = userPass.indexOf(':');
        String password = colon < 0 ? "" : userPass.substring(colon + 1);
        if (!password.isEmpty()) {
          return password;
        }
      } catch (IllegalArgumentException e) {
        // not base64: as if no credentials were sent
      }
      return Tokens.of(null, null, query);
    }
    return Tokens.of(authorization, null, query);
  }
}
