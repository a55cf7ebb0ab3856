package dev.camrelay.relay;

import dev.camrelay.relay.internal.auth.ShareLinks;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs share-link tokens: an HS256 JWT that lets its holder watch one camera (WebSocket, MJPEG, snapshot, the web
 * page) until it expires, presented wherever a viewer token goes ({@code ?token=}, {@code Authorization: Bearer},
 * the {@code bearer.<token>} subprotocol). A relay accepts it when it has the same share key, or, without one, the
 * same viewer token. Links cannot be revoked one by one: changing the key (or that viewer token) ends them all.
 *
 * <p>Limits: validity from just after now up to {@link #MAX_VALIDITY}; the token is a secret, never log it.
 */
public final class ShareLinkSigner {
  /** The longest a share link may be valid. */
  public static final Duration MAX_VALIDITY = Duration.ofDays(366);
  /** The shortest share key accepted (here and by the relay). */
  public static final int MIN_SHARE_KEY_CHARS = 16;

  private final ShareLinks links;

  private ShareLinkSigner(ShareLinks links) {
    this.links = links;
  }

  /**
   * A signer for relays started with {@code shareKey(key)}.
   *
   * @throws IllegalArgumentException for a key shorter than {@link #MIN_SHARE_KEY_CHARS}
   */
  public static ShareLinkSigner withShareKey(String key) {
    return new ShareLinkSigner(ShareLinks.keyedBy(checkShareKey(key)));
  }

  /** {@code key} when it is long enough to sign share links; an {@link IllegalArgumentException} saying why not. */
  public static String checkShareKey(String key) {
    checkSecret(key, "share key");
    if (key.length() < MIN_SHARE_KEY_CHARS) {
      throw new IllegalArgumentException("the share key must be at least " + MIN_SHARE_KEY_CHARS
          + " characters: whoever guesses it can make share links for every camera");
    }
    return key;
  }

  /** A signer for relays without a share key, started with {@code viewerToken(token)}. */
  public static ShareLinkSigner withViewerToken(String token) {
    return new ShareLinkSigner(ShareLinks.derivedFromViewerToken(checkSecret(token, "viewer token")));
  }

  /**
   * A token that opens camera {@code cameraId} for {@code validFor} from now.
   *
   * @throws IllegalArgumentException for an invalid camera id, or a validity not positive or over {@link #MAX_VALIDITY}
   */
  public String sign(String cameraId, Duration validFor) {
    Objects.requireNonNull(validFor, "validFor");
    return sign(cameraId, Instant.now().plus(validFor));
  }

  /**
   * A token that opens camera {@code cameraId} until {@code expiresAt} (whole seconds: JWT times have no fraction).
   *
   * @throws IllegalArgumentException for an invalid camera id, or an expiry not in the future or further than
   *     {@link #MAX_VALIDITY} from now
   */
  public String sign(String cameraId, Instant expiresAt) {
    Objects.requireNonNull(expiresAt, "expiresAt");
    Instant now = Instant.now();
    if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(MAX_VALIDITY))) {
      throw new IllegalArgumentException("a share link must be valid for more than 0 and at most "
          + MAX_VALIDITY.toDays() + " days");
    }
    return links.sign(cameraId, now, expiresAt);
  }

  private static String checkSecret(String secret, String what) {
    Objects.requireNonNull(secret, what);
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the " + what + " must not be empty");
    }
    return secret;
  }
}
