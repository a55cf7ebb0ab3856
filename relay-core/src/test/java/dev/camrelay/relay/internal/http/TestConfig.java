package dev.camrelay.relay.internal.http;

import dev.camrelay.relay.internal.RelayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link RelayConfig}s for tests: loopback, ephemeral HTTP port, the Builder's defaults otherwise. */
public final class TestConfig {
  public String bindHost = "127.0.0.1";
  public int httpPort = 0;
  public String defaultCameraId = "default";
  public int maxFrameBytes = 4 * 1024 * 1024;
  public String viewerToken;
  public String controlToken;
  public int maxConnections = 2000;
  public int maxConnectionsPerIp = 250;
  public int maxCameras = 1024;
  public Duration handshakeTimeout = Duration.ofSeconds(5);
  public Duration cameraIdleTimeout = Duration.ofSeconds(15);
  public Duration viewerStallTimeout = Duration.ofSeconds(10);
  public int viewerSendBufferBytes = 64 * 1024;
  public Path tlsPkcs12;
  public char[] tlsPassword;
  public final Map<String, URI> pulls = new LinkedHashMap<>();
  public boolean serveViewer = true;

  public RelayConfig build() {
    return new RelayConfig(bindHost, -1, -1, httpPort, defaultCameraId, maxFrameBytes, true, null, Map.of(),
        viewerToken, controlToken, maxConnections, maxConnectionsPerIp, maxCameras, handshakeTimeout,
        cameraIdleTimeout, viewerStallTimeout, Duration.ofSeconds(10), Duration.ofSeconds(5), 8 * 1024, 10,
        viewerSendBufferBytes, tlsPkcs12, tlsPassword, pulls, serveViewer);
  }
}
