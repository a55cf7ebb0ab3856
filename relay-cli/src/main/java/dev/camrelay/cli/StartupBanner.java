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
  private final boolean cameraTlsOnly;
  private final String fingerprint;
  private final boolean viewerToken;
  private final String camera;
  private final Collection<String> pulled;
  private final boolean demo;
  private String recording;

  StartupBanner(CameraRelay relay, String bind, TlsOptions tls, boolean viewerToken, String defaultCamera,
                Collection<String> pulled, boolean demo) {
    this.relay = relay;
    this.hosts = HostAddresses.forBind(bind);
    this.tls = tls.enabled();
    this.cameraTlsOnly = tls.cameraTlsRequired();
    this.fingerprint = tls.certificateFingerprint();
    this.viewerToken = viewerToken;
    this.camera = defaultCamera;
    this.pulled = pulled;
    this.demo = demo;
  }

  /** Adds a "Recording" line saying where to (null: none). */
  StartupBanner recording(String description) {
    this.recording = description;
    return this;
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
      cameraPort(out, lan);
    }
    if (relay.wsPort() > 0) {
      row(out, relay.tcpPort() > 0 ? "" : "Cameras", ws + "://" + lan + ":" + relay.wsPort() + "/ingest/<camera-id>");
    }
    for (String id : pulled) {
      row(out, "Pulling", id + " -> " + http + "://" + first + ":" + relay.httpPort() + "/cam/" + id + "/stream.mjpeg");
    }
    if (recording != null) {
      row(out, "Recording", recording);
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  /** With TLS the camera port takes tls:// and, unless TLS is required, plain tcp:// too (existing firmware). */
  private void cameraPort(PrintWriter out, String lan) {
    String port = lan + ":" + relay.tcpPort();
    if (!tls) {
      row(out, "Cameras", "tcp://" + port + "  (raw JPEG or framed protocol)");
      return;
    }
    row(out, "Cameras", "tls://" + port + "  (raw JPEG or framed protocol over TLS"
        + (cameraTlsOnly ? "; plain TCP is refused)" : ")"));
    if (fingerprint != null) {
      row(out, "", "(certificate SHA-256 " + fingerprint + ")");
    }
    if (!cameraTlsOnly) {
      row(out, "", "tcp://" + port + "  (plain TCP on the same port, for older firmware: camera tokens cross the"
          + " network in clear; --require-camera-tls refuses it)");
    }
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf("  %-10s %s%n", label, value);
  }
}
