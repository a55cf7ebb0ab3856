package dev.camrelay.relay.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Every {@link dev.camrelay.relay.CameraRelay.Builder} setting, immutable. A port of -1 disables that listener,
 * 0 picks an ephemeral port. Token fields are null when not configured. {@link #toString()} never prints a token
 * or the TLS password.
 */
public record RelayConfig(
    String bindHost,
    int tcpPort,
    int wsPort,
    int httpPort,
    String defaultCameraId,
    int maxFrameBytes,
    boolean allowRawIngest,
    String cameraToken,
    Map<String, String> cameraTokens,
    String viewerToken,
    String controlToken,
    int maxConnections,
    int maxConnectionsPerIp,
    int maxCameras,
    Duration handshakeTimeout,
    Duration cameraIdleTimeout,
    Duration viewerStallTimeout,
    Duration onDemandLinger,
    Duration controlTimeout,
    int maxControlBytes,
    int controlMessagesPerSecond,
    int viewerSendBufferBytes,
    Path tlsPkcs12,
    char[] tlsPassword,
    Map<String, URI> pulls,
    boolean serveViewer) {

  public RelayConfig {
    cameraTokens = Map.copyOf(cameraTokens);
    pulls = Map.copyOf(pulls);
    tlsPassword = tlsPassword == null ? null : tlsPassword.clone();
  }

  public boolean tlsEnabled() {
    return tlsPkcs12 != null;
  }

  /** True when any token of any kind is configured. */
  public boolean anyToken() {
    return cameraToken != null || !cameraTokens.isEmpty() || viewerToken != null || controlToken != null;
  }

  /** True when the relay listens on a loopback address only (so nothing off this machine can reach it). */
  public boolean loopbackOnly() {
    try {
      return InetAddress.getByName(bindHost).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "RelayConfig[bind=" + bindHost + ", tcpPort=" + tcpPort + ", wsPort=" + wsPort + ", httpPort=" + httpPort
        + ", defaultCameraId=" + defaultCameraId + ", maxFrameBytes=" + maxFrameBytes
        + ", allowRawIngest=" + allowRawIngest
        + ", cameraToken=" + (cameraToken != null ? "<set>" : "none")
        + ", perCameraTokens=" + cameraTokens.keySet()
        + ", viewerToken=" + (viewerToken != null ? "<set>" : "none")
        + ", controlToken=" + (controlToken != null ? "<set>" : "none")
        + ", maxConnections=" + maxConnections + ", maxConnectionsPerIp=" + maxConnectionsPerIp
        + ", handshakeTimeout=" + handshakeTimeout + ", cameraIdleTimeout=" + cameraIdleTimeout
        + ", viewerStallTimeout=" + viewerStallTimeout + ", onDemandLinger=" + onDemandLinger
        + ", tls=" + (tlsPkcs12 != null ? tlsPkcs12 : "off") + ", pulls=" + pulls.keySet()
        + ", serveViewer=" + serveViewer + "]";
  }
}
