package dev.camrelay.relay.internal.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Share links: HS256 JWTs (java-jwt) that let their holder watch one camera until they expire. Claims: {@code iss}
 * "camrelay", {@code aud} "camrelay-view", {@code cam} the camera id, {@code iat}, {@code exp}; all are required.
 *
 * <p>The signing key is the share key when one is set; otherwise HMAC-SHA256 of a fixed label under the global viewer
 * token, so {@code camrelay share} works with just the viewer token. Such links stop working when the viewer token
 * changes (and links signed with a share key when it changes): that is the only way to revoke them before they
 * expire. With neither a share key nor a global viewer token, share links are off. Tokens are never logged.
 */
public final class ShareLinks {
  static final String ISSUER = "camrelay";
  static final String AUDIENCE = "camrelay-view";
  static final String CAMERA_CLAIM = "cam";
  private static final String DERIVATION_LABEL = "camrelay share-link key v1";

  private final Algorithm algorithm;
  private final JWTVerifier verifier;

  private ShareLinks(Algorithm algorithm) {
    this.algorithm = algorithm;
    // iat is kept for people reading a link, not checked: a link made on a machine whose clock runs ahead must work.
    this.verifier = JWT.require(algorithm).withIssuer(ISSUER).withAudience(AUDIENCE)
        .withClaimPresence(CAMERA_CLAIM).withClaimPresence("exp").withClaimPresence("iat").ignoreIssuedAt().build();
  }

  /** Links signed with {@code shareKey} (its UTF-8 bytes are the HMAC key). */
  public static ShareLinks keyedBy(String shareKey) {
    return new ShareLinks(Algorithm.HMAC256(shareKey.getBytes(StandardCharsets.UTF_8)));
  }

  /** Links signed with a key derived from the global viewer token. */
  public static ShareLinks derivedFromViewerToken(String viewerToken) {
    return new ShareLinks(Algorithm.HMAC256(derive(viewerToken)));
  }

  /** The relay's share links: by its share key, else from its viewer token, else null (share links off). */
  public static ShareLinks of(RelayConfig config) {
    if (config.shareKey() != null) {
      return keyedBy(config.shareKey());
    }
    return config.viewerToken() != null ? derivedFromViewerToken(config.viewerToken()) : null;
  }

  /** A token that opens {@code cameraId} from {@code issuedAt} until {@code expiresAt}. */
  public String sign(String cameraId, Instant issuedAt, Instant expiresAt) {
    CameraId.check(cameraId);
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    return JWT.create().withIssuer(ISSUER).withAudience(AUDIENCE).withClaim(CAMERA_CLAIM, cameraId)
        .withIssuedAt(issuedAt).withExpiresAt(expiresAt).sign(algorithm);
  }

  /**
   * What {@code token} opens: its camera until its expiry, or a refusal. The signature is checked before the expiry,
   * so only a genuine link is ever called expired.
   */
  ViewerAccess verify(String token) {
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(token);
    } catch (TokenExpiredException e) {
      return ViewerAccess.refused(ViewerAccess.Refusal.EXPIRED_SHARE_LINK);
    } catch (JWTVerificationException e) {
      return ViewerAccess.refused(ViewerAccess.Refusal.WRONG_TOKEN);
    }
    String camera = jwt.getClaim(CAMERA_CLAIM).asString();
    if (camera == null || !CameraId.isValid(camera)) {
      return ViewerAccess.refused(ViewerAccess.Refusal.WRONG_TOKEN);
    }
    return ViewerAccess.only(Set.of(camera), jwt.getExpiresAtAsInstant());
  }

  /** Whether a presented token has the shape of a JWT (three base64url parts), so it is worth verifying as one. */
  static boolean looksLikeJwt(String token) {
    return token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
  }

  private static byte[] derive(String viewerToken) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(viewerToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(DERIVATION_LABEL.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JVM has HmacSHA256", e);
    }
  }
}
