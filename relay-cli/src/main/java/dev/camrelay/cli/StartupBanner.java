package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;

/** The "what to open" block printed once the relay's ports are bound, with the actual ports and usable host names. */
final class StartupBanner {
  private final CameraRelay relay;
  private final List<String> hosts;
  private final boolean tls;
  private final boolean viewerToken;
  private final String camera;
  private final Collection<String> pulled;
  private final boolean demo;

  StartupBanner(CameraRelay relay, String bind, boolean tls, boolean viewerToken, String defaultCamera,
                Collection<String> pulled, boolean demo) {
    this.relay = relay;
    this.hosts = HostAddresses.forBind(bind);
    this.tls = tls;
    this.viewerToken = viewerToken;
    this.camera = defaultCamera;
    this.pulled = pulled;
    this.demo = demo;
  }

  void print(PrintWriter out) {
    String http = tls ? "https" : "http";
    String ws = tls ? "wss" : "ws";
    out.println("camrelay " + VersionProvider.version() + " is running" + (demo ? " with a simulated camera" : "")
        + ".");
    String first = hosts.get(0);
    if (relay.httpPort() > 0) {
      String base = http + "://" + first + ":" + relay.httpPort();
      row(out, "Viewer", base + "/");
      for (String host : hosts.subList(1, hosts.size())) {
        row(out, "", http + "://" + host + ":" + relay.httpPort() + "/");
      }
      row(out, "MJPEG", base + "/cam/" + camera + "/stream.mjpeg");
      row(out, "Snapshot", base + "/cam/" + camera + "/snapshot.jpg");
    }
    if (relay.wsPort() > 0) {
      row(out, "WebSocket", ws + "://" + first + ":" + relay.wsPort() + "/");
    }
    if (relay.rtspPort() > 0) {
      row(out, "RTSP", "rtsp://" + first + ":" + relay.rtspPort() + "/" + camera);
    }
    if (viewerToken) {
      row(out, "", "(viewers need the viewer token: add ?token=<token> to these URLs)");
    }
    String lan = hosts.size() > 1 ? hosts.get(1) : first;
    if (relay.tcpPort() > 0) {
      row(out, "Cameras", "tcp://" + lan + ":" + relay.tcpPort() + "  (raw JPEG or framed protocol"
          + (tls ? "; plain TCP, not TLS: camera tokens cross the network in clear)" : ")"));
    }
    if (relay.wsPort() > 0) {
      row(out, relay.tcpPort() > 0 ? "" : "Cameras", ws + "://" + lan + ":" + relay.wsPort() + "/ingest/<camera-id>");
    }
    for (String id : pulled) {
      row(out, "Pulling", id + " -> " + http + "://" + first + ":" + relay.httpPort() + "/cam/" + id + "/stream.mjpeg");
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf("  %-10s %s%n", label, value);
  }
}
