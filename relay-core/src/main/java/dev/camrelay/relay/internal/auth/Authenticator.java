package dev.camrelay.relay.internal.auth;

import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides who may view, control and publish. Tokens are compared in constant time (SHA-256 digests compared with
 * {@link MessageDigest#isEqual}, so neither content nor length leaks through timing); they are never logged.
 *
 * <table>
 *   <caption>Policy</caption>
 *   <tr><th>action</th><th>allowed when</th></tr>
 *   <tr><td>view</td><td>every camera: no viewer credential is configured (viewer token, scoped viewer token, share
 *       key), or the token is the viewer token or the control token; some cameras: a scoped viewer token (its
 *       cameras) or an unexpired share link ({@link ShareLinks}: its camera)</td></tr>
 *   <tr><td>control</td><td>a control token is configured and presented; with no control token, only when the
 *       relay has no tokens at all <em>and</em> listens on loopback only (a private single-user setup)</td></tr>
 *   <tr><td>publish</td><td>the camera's own token if one is set for its id, else the global camera token if set;
 *       with per-camera tokens only, other ids are refused unless unknown cameras are allowed; with no camera token
 *       at all, anyone</td></tr>
 * </table>
 *
 * <p>Per-camera tokens can change while the relay runs ({@link #cameraToken(String, String)}, used by the camera
 * registry); everything else is fixed at construction.
 */
public final class Authenticator {
  private final byte[] viewerDigest;
  private final byte[] controlDigest;
  private final byte[] cameraDigest;
  private final Map<String, byte[]> perCameraDigests = new ConcurrentHashMap<>();
  private final Map<byte[], Set<String>> scopedViewerDigests = new LinkedHashMap<>();
  private final ShareLinks shareLinks;
  private final boolean openControl;
  private final boolean allowUnknownCameras;
  /** Set once any camera had a token of its own; never cleared, so removing the last one does not open the door. */
  private volatile boolean perCameraTokensNamed;
  private final AuthFailures failures;

  public Authenticator(RelayConfig config) {
    viewerDigest = digestOrNull(config.viewerToken());
    controlDigest = digestOrNull(config.controlToken());
    cameraDigest = digestOrNull(config.cameraToken());
    config.cameraTokens().forEach((id, token) -> perCameraDigests.put(id, digest(token)));
    config.scopedViewerTokens().forEach((token, ids) -> scopedViewerDigests.put(digest(token), ids));
    shareLinks = ShareLinks.of(config);
    openControl = !config.anyToken() && config.loopbackOnly();
    allowUnknownCameras = config.allowUnknownCameras();
    perCameraTokensNamed = !perCameraDigests.isEmpty();
    failures = new AuthFailures(config.authFailureBurst(), config.authFirstRefusal(), config.authMaxRefusal());
  }

  /** Sets (or with null, removes) camera {@code cameraId}'s own token; the next connection is checked against it. */
  public void cameraToken(String cameraId, String tokenOrNull) {
    if (tokenOrNull == null) {
      perCameraDigests.remove(cameraId);
    } else {
      perCameraTokensNamed = true;
      perCameraDigests.put(cameraId, digest(tokenOrNull));
    }
  }

  private boolean unknownCamerasOpen() {
    return cameraDigest == null && (!perCameraTokensNamed || allowUnknownCameras);
  }

  /** Wrong tokens per client address, which every port asks before checking a token and tells of a wrong one. */
  public AuthFailures failures() {
    return failures;
  }

  /** Whether {@code tokenOrNull} may view every camera. */
  public boolean viewerAllowed(String tokenOrNull) {
    return viewerAccess(tokenOrNull).everyCamera();
  }

  /**
   * Which cameras {@code tokenOrNull} may view: all (no viewer credential configured, the viewer or control token),
   * those of a scoped viewer token, the one of a valid share link, or none with the reason.
   */
  public ViewerAccess viewerAccess(String tokenOrNull) {
    if (!viewerAuthRequired()) {
      return ViewerAccess.ALL;
    }
    if (tokenOrNull == null) {
      return ViewerAccess.refused(ViewerAccess.Refusal.NO_TOKEN);
    }
    byte[] presented = digest(tokenOrNull);
    if (matchesDigest(viewerDigest, presented) || matchesDigest(controlDigest, presented)) {
      return ViewerAccess.ALL;
    }
    for (Map.Entry<byte[], Set<String>> scoped : scopedViewerDigests.entrySet()) {
      if (MessageDigest.isEqual(scoped.getKey(), presented)) {
        return ViewerAccess.only(scoped.getValue(), null);
      }
    }
    if (shareLinks != null && ShareLinks.looksLikeJwt(tokenOrNull)) {
      return shareLinks.verify(tokenOrNull);
    }
    return ViewerAccess.refused(ViewerAccess.Refusal.WRONG_TOKEN);
  }

  /** Whether share links are accepted (a share key is set, or a global viewer token to derive one from). */
  public boolean shareLinksEnabled() {
    return shareLinks != null;
  }

  public boolean controlAllowed(String tokenOrNull) {
    if (controlDigest == null) {
      return openControl;
    }
    return matches(controlDigest, tokenOrNull);
  }

  public boolean cameraAllowed(String cameraId, String tokenOrNull) {
    byte[] expected = perCameraDigests.getOrDefault(cameraId, cameraDigest);
    return expected == null ? unknownCamerasOpen() : matches(expected, tokenOrNull);
  }

  /**
   * Whether {@code tokenOrNull} proves the right to publish as {@code cameraId}: a token is required for that id and
   * this is it. Such cameras are never refused because tokenless ones fill the relay.
   */
  public boolean cameraVerified(String cameraId, String tokenOrNull) {
    byte[] expected = perCameraDigests.getOrDefault(cameraId, cameraDigest);
    return expected != null && matches(expected, tokenOrNull);
  }

  /** True when a tokenless camera may not publish as this id (so tokenless raw JPEG ingest must be refused). */
  public boolean cameraAuthRequired(String cameraId) {
    return !cameraAllowed(cameraId, null);
  }

  /** True when viewers need a token: a viewer token, a scoped viewer token or a share key is configured. */
  public boolean viewerAuthRequired() {
    return viewerDigest != null || !scopedViewerDigests.isEmpty() || shareLinks != null;
  }

  /** True when control commands need the control token (false only in the open loopback setup). */
  public boolean controlRequiresToken() {
    return !openControl;
  }

  static boolean matches(byte[] expectedDigest, String presented) {
    if (expectedDigest == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(expectedDigest, digest(presented));
  }

  private static boolean matchesDigest(byte[] expectedDigest, byte[] presentedDigest) {
    return expectedDigest != null && MessageDigest.isEqual(expectedDigest, presentedDigest);
  }

  static byte[] digestOrNull(String token) {
    return token == null ? null : digest(token);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
