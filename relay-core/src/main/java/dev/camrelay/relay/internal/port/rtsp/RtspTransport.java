package dev.camrelay.relay.internal.port.rtsp;

import java.util.Locale;

/**
 * The transport a client asked for in SETUP, the first of its offers the relay serves: RTP over the RTSP connection
 * ({@code RTP/AVP/TCP;unicast;interleaved=0-1}, channels default 0-1) or unicast UDP
 * ({@code RTP/AVP;unicast;client_port=5000-5001}, or {@code RTP/AVP/UDP}). Multicast is not served.
 *
 * @param interleaved true for TCP; then {@code rtp} and {@code rtcp} are channel numbers, else the client's UDP ports
 */
record RtspTransport(boolean interleaved, int rtp, int rtcp) {

  /** The first offer in {@code header} the relay serves, or null. */
  static RtspTransport choose(String header, boolean udpAvailable) {
    if (header == null) {
      return null;
    }
    for (String spec : header.split(",")) {
      String[] parts = spec.trim().split(";");
      String profile = parts[0].trim().toUpperCase(Locale.ROOT);
      boolean tcp = profile.equals("RTP/AVP/TCP");
      boolean udp = profile.equals("RTP/AVP") || profile.equals("RTP/AVP/UDP");
      if (!tcp && !(udp && udpAvailable) || has(parts, "multicast")) {
        continue;
      }
      int[] range = range(parts, tcp ? "interleaved=" : "client_port=");
      if (tcp) {
        return range == null ? new RtspTransport(true, 0, 1) : new RtspTransport(true, range[0], range[1]);
      }
      if (range != null && range[0] > 0) {
        return new RtspTransport(false, range[0], range[1]);
      }
    }
    return null;
  }

  private static boolean has(String[] parts, String word) {
    for (String p : parts) {
      if (p.trim().equalsIgnoreCase(word)) {
        return true;
      }
    }
    return false;
  }

  /** {@code a-b} (or {@code a}, meaning {@code a-(a+1)}) after {@code prefix}, each 0..65535 (channels 0..255). */
  private static int[] range(String[] parts, String prefix) {
    int max = prefix.equals("interleaved=") ? 255 : 65535;
    for (String p : parts) {
      String param = p.trim();
      if (param.regionMatches(true, 0, prefix, 0, prefix.length())) {
        String[] ab = param.substring(prefix.length()).split("-");
        try {
          int a = Integer.parseInt(ab[0].trim());
          int b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a + 1;
          return a >= 0 && a <= max && b >= 0 && b <= max ? new int[] {a, b} : null;
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
