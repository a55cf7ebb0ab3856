package dev.camrelay.relay.internal.port.rtsp;

import dev.camrelay.relay.CameraStats;

/**
 * The session description DESCRIBE returns (RFC 4566): one video stream of payload type 26, JPEG at 90 kHz
 * (RFC 3551), controlled at {@value #TRACK} relative to the Content-Base; the frame size and rate the camera had
 * last, when known (receivers take the size from each packet anyway).
 */
final class Sdp {
  static final String TRACK = "trackID=0";

  private Sdp() {}

  static String describe(CameraStats camera, String localAddress, long sessionId) {
    String ipVersion = localAddress.contains(":") ? "IP6" : "IP4";
    StringBuilder sdp = new StringBuilder()
        .append("v=0\r\n")
        .append("o=- ").append(sessionId).append(" 1 IN ").append(ipVersion).append(' ').append(localAddress)
        .append("\r\n")
        .append("s=camrelay ").append(camera.id()).append("\r\n")
        .append("c=IN ").append(ipVersion).append(ipVersion.equals("IP6") ? " ::" : " 0.0.0.0").append("\r\n")
        .append("t=0 0\r\n")
        .append("a=control:*\r\n")
        .append("a=range:npt=now-\r\n")
        .append("m=video 0 RTP/AVP 26\r\n")
        .append("a=rtpmap:26 JPEG/90000\r\n")
        .append("a=control:").append(TRACK).append("\r\n");
    long fps = Math.round(camera.fps());
    if (fps > 0) {
      sdp.append("a=framerate:").append(fps).append("\r\n");
    }
    if (camera.width() > 0 && camera.height() > 0) {
      sdp.append("a=x-dimensions:").append(camera.width()).append(',').append(camera.height()).append("\r\n");
      sdp.append("a=framesize:26 ").append(camera.width()).append('-').append(camera.height()).append("\r\n");
    }
    return sdp.toString();
  }
}
