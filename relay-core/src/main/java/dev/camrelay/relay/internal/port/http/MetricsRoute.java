package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.internal.port.http.PrometheusText.Type;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code /metrics}: Prometheus text format 0.0.4 ({@link PrometheusText}) with per-camera samples (label
 * {@code camera}) and relay-wide ones: cameras, viewers, connections, MJPEG frames sent and skipped, wrong and
 * throttled token attempts. Each scrape reads fresh stats; nothing is kept between scrapes.
 */
final class MetricsRoute implements HttpRoute {
  private final HttpFrontend frontend;

  MetricsRoute(HttpFrontend frontend) {
    this.frontend = frontend;
  }

  @Override
  public void handle(HttpExchange exchange) {
    exchange.respond(Responses.bytes(HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE,
        Unpooled.copiedBuffer(text(), StandardCharsets.UTF_8)));
  }

  String text() {
    List<CameraStats> cameras = frontend.hub().cameras();
    PrometheusText text = new PrometheusText()
        .family("camrelay_camera_connected", Type.GAUGE, "1 while a source is attached to the camera, else 0.")
        .family("camrelay_camera_frames_in_total", Type.COUNTER, "Complete JPEG frames received from the camera.")
        .family("camrelay_camera_frames_dropped_total", Type.COUNTER,
            "Frames from the camera dropped as invalid, oversized or truncated.")
        .family("camrelay_camera_viewers", Type.GAUGE, "Viewers watching the camera (WebSocket and MJPEG).")
        .family("camrelay_camera_fps", Type.GAUGE, "Frames per second received over the last two seconds.")
        .family("camrelay_camera_bitrate_kbps", Type.GAUGE, "Kilobits per second received over the last two seconds.")
        .family("camrelay_camera_last_frame_age_seconds", Type.GAUGE,
            "Seconds since the camera's latest frame (NaN before the first frame).")
        .family("camrelay_cameras", Type.GAUGE, "Cameras known to the relay.")
        .family("camrelay_cameras_connected", Type.GAUGE, "Cameras with a source attached.")
        .family("camrelay_viewers", Type.GAUGE, "Viewers of all cameras.")
        .family("camrelay_connections", Type.GAUGE,
            "Open connections counted against the relay's connection limit (all ports sharing it).")
        .family("camrelay_http_connections", Type.GAUGE, "Open connections on the HTTP port.")
        .family("camrelay_http_mjpeg_viewers", Type.GAUGE, "MJPEG stream viewers on the HTTP port.")
        .family("camrelay_http_mjpeg_frames_sent_total", Type.COUNTER, "Frames written to MJPEG viewers.")
        .family("camrelay_http_mjpeg_frames_skipped_total", Type.COUNTER,
            "Frames MJPEG viewers skipped because a newer frame replaced one still waiting (slow viewers).")
        .family("camrelay_auth_failures_total", Type.COUNTER,
            "Wrong tokens presented, on every port (a missing token is not counted).")
        .family("camrelay_auth_throttled_total", Type.COUNTER,
            "Token attempts refused unchecked because their address presented too many wrong tokens lately.");
    int connected = 0;
    int viewers = 0;
    for (CameraStats c : cameras) {
      String[] label = {"camera", c.id()};
      text.sample("camrelay_camera_connected", c.connected() ? 1 : 0, label)
          .sample("camrelay_camera_frames_in_total", c.framesIn(), label)
          .sample("camrelay_camera_frames_dropped_total", c.framesDropped(), label)
          .sample("camrelay_camera_viewers", c.viewers(), label)
          .sample("camrelay_camera_fps", c.fps(), label)
          .sample("camrelay_camera_bitrate_kbps", c.bitrateKbps(), label)
          .sample("camrelay_camera_last_frame_age_seconds",
              c.lastFrameAgeMs() < 0 ? Double.NaN : c.lastFrameAgeMs() / 1000.0, label);
      connected += c.connected() ? 1 : 0;
      viewers += c.viewers();
    }
    text.sample("camrelay_cameras", cameras.size())
        .sample("camrelay_cameras_connected", connected)
        .sample("camrelay_viewers", viewers)
        .sample("camrelay_connections", frontend.gate().relayTotal())
        .sample("camrelay_http_connections", frontend.gate().open())
        .sample("camrelay_http_mjpeg_viewers", frontend.mjpegViewers())
        .sample("camrelay_http_mjpeg_frames_sent_total", frontend.mjpegCounters().sent.sum())
        .sample("camrelay_http_mjpeg_frames_skipped_total", frontend.mjpegCounters().skipped.sum())
        .sample("camrelay_auth_failures_total", frontend.auth().failures().failures())
        .sample("camrelay_auth_throttled_total", frontend.auth().failures().throttled());
    return text.text();
  }
}
