package dev.camrelay.relay.internal.port.rtsp;

import dev.camrelay.frame.wire.CameraId;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What an RTSP request URL names: {@code rtsp://host:port/{camera}[/trackID=0][?token=...]}, the camera being the
 * first path segment ({@code rtsp://host:port/} is the default camera). {@link #toString()} leaves out the query,
 * so it can be logged without the token.
 *
 * @param cameraId the camera, not yet checked against {@link CameraId}'s rule
 * @param base the URL clients resolve control URLs against: {@code rtsp://host:port/{camera}/}, no user, no query
 * @param query the decoded query parameters
 */
record RtspTarget(String cameraId, String base, Map<String, List<String>> query) {

  /** The target of {@code uri}, or null when it is not an absolute {@code rtsp://} URL. */
  static RtspTarget of(String uri, String defaultCameraId) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      return null;
    }
    if (parsed.getScheme() == null || !parsed.getScheme().toLowerCase(java.util.Locale.ROOT).startsWith("rtsp")
        || parsed.getHost() == null) {
      return null;
    }
    String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
    String first = "";
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        first = URLDecoder.decode(segment, StandardCharsets.UTF_8);
        break;
      }
    }
    String cameraId = first.isEmpty() ? defaultCameraId : first;
    String hostPort = parsed.getHost() + (parsed.getPort() >= 0 ? ":" + parsed.getPort() : "");
    String base = parsed.getScheme() + "://" + hostPort + "/" + (first.isEmpty() ? "" : encodedFirst(path) + "/");
    Map<String, List<String>> query = parsed.getRawQuery() == null ? Map.of()
        : new QueryStringDecoder("?" + parsed.getRawQuery()).parameters();
    return new RtspTarget(cameraId, base, query);
  }

  private static String encodedFirst(String path) {
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        return segment;
      }
    }
    return "";
  }

  boolean validCamera() {
    return CameraId.isValid(cameraId);
  }

  @Override
  public String toString() {
    return base;
  }
}
