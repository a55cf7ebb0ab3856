package dev.camrelay.relay;

import java.net.URI;
import java.util.Locale;

/**
 * What the operator configured for one camera id in the relay's {@link CameraRegistry}: where to pull it from, and
 * the token a pushing camera must present as this id. Either may be null; a spec with neither still lists the camera
 * (as {@code offline} until it connects).
 *
 * @param pullUrl an {@code http://} or {@code https://} MJPEG URL the relay pulls the camera from, or null for a camera
 *     that pushes; {@code user:password@} is sent as HTTP Basic auth
 * @param cameraToken the token a camera pushing as this id must present (instead of the global camera token), or null
 */
public record CameraSpec(URI pullUrl, String cameraToken) {
  /** @throws IllegalArgumentException for a pull URL that is not http(s) with a host, or an empty token */
  public CameraSpec {
    if (pullUrl != null) {
      String scheme = pullUrl.getScheme() == null ? "" : pullUrl.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || pullUrl.getHost() == null) {
        throw new IllegalArgumentException("pull URL must be http:// or https:// with a host");
      }
    }
    if (cameraToken != null && cameraToken.isEmpty()) {
      throw new IllegalArgumentException("camera token must not be empty");
    }
  }

  /** A camera pulled from {@code url}, with no token of its own. */
  public static CameraSpec pull(URI url) {
    return new CameraSpec(url, null);
  }

  /** A pushing camera that must present {@code token}. */
  public static CameraSpec token(String token) {
    return new CameraSpec(null, token);
  }

  /** Never shows the token, nor the pull URL's user info and query. */
  @Override
  public String toString() {
    return "CameraSpec[pull=" + (pullUrl == null ? "none" : safeUrl(pullUrl)) + ", cameraToken="
        + (cameraToken == null ? "none" : "<set>") + "]";
  }

  /** A URL as it may be shown: scheme, host, port and path, without user info or query. */
  public static String safeUrl(URI url) {
    StringBuilder out = new StringBuilder();
    out.append(url.getScheme()).append("://").append(url.getHost());
    if (url.getPort() >= 0) {
      out.append(':').append(url.getPort());
    }
    if (url.getRawPath() != null) {
      out.append(url.getRawPath());
    }
    return out.toString();
  }
}
