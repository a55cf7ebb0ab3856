package dev.camrelay.relay.internal.auth;

/**
 * Who may change the relay's cameras through the admin API: whoever presents the admin token. Without an admin token
 * the admin API is off for everyone (it can start pulls to any URL and replace camera tokens, so it is never open).
 * Compared in constant time like every token ({@link Authenticator}); never logged.
 */
public final class AdminAuth {
  private final byte[] adminDigest;

  public AdminAuth(String adminTokenOrNull) {
    adminDigest = Authenticator.digestOrNull(adminTokenOrNull);
  }

  /** Whether the admin API is on at all. */
  public boolean enabled() {
    return adminDigest != null;
  }

  public boolean allowed(String tokenOrNull) {
    return Authenticator.matches(adminDigest, tokenOrNull);
  }
}
