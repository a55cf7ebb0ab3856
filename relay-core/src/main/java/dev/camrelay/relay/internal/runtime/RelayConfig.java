package dev.camrelay.relay.internal.runtime;

import com.google.common.net.InetAddresses;
import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.ShareLinkSigner;
import dev.camrelay.relay.internal.record.RecordSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every relay setting, immutable, built by {@link Builder} — the one place that holds the defaults and checks the
 * values ({@link dev.camrelay.relay.CameraRelay.Builder} delegates to it, and tests build configs with it too). A port
 * of -1 disables that listener, 0 picks an ephemeral port. Token fields are null when not configured.
 * {@link #toString()} never prints a token or the TLS password.
 */
public final class RelayConfig {
  /** The smallest RTP payload accepted over interleaved TCP: far below what any client reads, far above the headers. */
  public static final int MIN_RTSP_TCP_PACKET_BYTES = 512;
  private final String bindHost;
  private final int tcpPort;
  private final int wsPort;
  private final int httpPort;
  private final int rtspPort;
  private final int rtspTcpPacketBytes;
  private final String defaultCameraId;
  private final String nodeName;
  private final int maxFrameBytes;
  private final Boolean allowRawIngest;
  private final boolean allowUnknownCameras;
  private final String cameraToken;
  private final Map<String, String> cameraTokens;
  private final String viewerToken;
  private final String controlToken;
  private final Map<String, Set<String>> scopedViewerTokens;
  private final String shareKey;
  private final int maxConnections;
  private final int maxConnectionsPerIp;
  private final int maxCameras;
  private final Duration handshakeTimeout;
  private final Duration cameraIdleTimeout;
  private final Duration viewerStallTimeout;
  private final Duration onDemandLinger;
  private final Duration controlTimeout;
  private final int maxControlBytes;
  private final int controlMessagesPerSecond;
  private final int viewerSendBufferBytes;
  private final int fanOutThreads;
  private final Duration preEvent;
  private final long preEventMaxBytes;
  private final Path clipsDir;
  private final Path tlsPkcs12;
  private final char[] tlsPassword;
  private final boolean requireCameraTls;
  private final Map<String, URI> pulls;
  private final boolean serveViewer;
  private final int authFailureBurst;
  private final Duration authFirstRefusal;
  private final Duration authMaxRefusal;
  private final boolean seedCompatibility;
  private final String adminToken;
  private final RecordSettings recording;
  private final int maxFirmwareBytes;
  private final String mdnsName;

  private RelayConfig(Builder b) {
    bindHost = b.bindHost;
    tcpPort = b.tcpPort;
    wsPort = b.wsPort;
    httpPort = b.httpPort;
    rtspPort = b.rtspPort;
    rtspTcpPacketBytes = b.rtspTcpPacketBytes;
    defaultCameraId = b.defaultCameraId;
    nodeName = b.nodeName != null ? b.nodeName : HostName.NODE_NAME;
    maxFrameBytes = b.maxFrameBytes;
    allowRawIngest = b.allowRawIngest;
    allowUnknownCameras = b.allowUnknownCameras;
    cameraToken = b.cameraToken;
    cameraTokens = Map.copyOf(b.cameraTokens);
    viewerToken = b.viewerToken;
    controlToken = b.controlToken;
    Map<String, Set<String>> scoped = new LinkedHashMap<>();
    b.scopedViewerTokens.forEach((token, ids) -> scoped.put(token, Set.copyOf(ids)));
    scopedViewerTokens = Map.copyOf(scoped);
    shareKey = b.shareKey;
    maxConnections = b.maxConnections;
    maxConnectionsPerIp = b.maxConnectionsPerIp;
    maxCameras = b.maxCameras;
    handshakeTimeout = b.handshakeTimeout;
    cameraIdleTimeout = b.cameraIdleTimeout;
    viewerStallTimeout = b.viewerStallTimeout;
    onDemandLinger = b.onDemandLinger;
    controlTimeout = b.controlTimeout;
    maxControlBytes = b.maxControlBytes;
    controlMessagesPerSecond = b.controlMessagesPerSecond;
    viewerSendBufferBytes = b.viewerSendBufferBytes;
    fanOutThreads = b.fanOutThreads;
    preEvent = b.preEvent;
    preEventMaxBytes = b.preEventMaxBytes;
    clipsDir = b.clipsDir;
    tlsPkcs12 = b.tlsPkcs12;
    tlsPassword = b.tlsPassword == null ? null : b.tlsPassword.clone();
    requireCameraTls = b.requireCameraTls;
    pulls = Map.copyOf(b.pulls);
    serveViewer = b.serveViewer;
    authFailureBurst = b.authFailureBurst;
    authFirstRefusal = b.authFirstRefusal;
    authMaxRefusal = b.authMaxRefusal;
    seedCompatibility = b.seedCompatibility;
    adminToken = b.adminToken;
    recording = b.recording;
    maxFirmwareBytes = b.maxFirmwareBytes;
    mdnsName = b.mdnsName;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String bindHost() {
    return bindHost;
  }

  public int tcpPort() {
    return tcpPort;
  }

  public int wsPort() {
    return wsPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The RTSP port; -1 (off) unless set. */
  public int rtspPort() {
    return rtspPort;
  }

  /** The largest RTP/JPEG payload sent interleaved on an RTSP connection (TCP). */
  public int rtspTcpPacketBytes() {
    return rtspTcpPacketBytes;
  }

  public String defaultCameraId() {
    return defaultCameraId;
  }

  /** This relay's name among the nodes of a cluster: 1..64 of {@code A-Z a-z 0-9 _ -}; default the host name. */
  public String nodeName() {
    return nodeName;
  }

  /** The host name cut to a node name's characters and length, looked up once (it may ask DNS). */
  private static final class HostName {
    static final String NODE_NAME = lookUp();

    private static String lookUp() {
      String host = System.getenv().getOrDefault("HOSTNAME", "");
      if (host.isEmpty()) {
        try {
          host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
          host = "";
        }
      }
      String name = host.replaceAll("[^A-Za-z0-9_-]", "-");
      return name.isEmpty() ? "relay" : name.substring(0, Math.min(64, name.length()));
    }
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * Whether tokenless raw JPEG streams are accepted (on the default camera): as set, or when unset, only while no
   * camera token of any kind is configured (a relay that asks some cameras for tokens does not take anonymous pushes
   * unless told to).
   */
  public boolean allowRawIngest() {
    return allowRawIngest != null ? allowRawIngest : cameraToken == null && cameraTokens.isEmpty();
  }

  /**
   * With per-camera tokens only (no global camera token): whether cameras whose id has no token may publish without
   * one. Default false: naming some cameras' tokens closes the door to the others.
   */
  public boolean allowUnknownCameras() {
    return allowUnknownCameras;
  }

  public String cameraToken() {
    return cameraToken;
  }

  public Map<String, String> cameraTokens() {
    return cameraTokens;
  }

  public String viewerToken() {
    return viewerToken;
  }

  public String controlToken() {
    return controlToken;
  }

  /** Viewer tokens that open only some cameras: token → the camera ids it may view (empty map when none). */
  public Map<String, Set<String>> scopedViewerTokens() {
    return scopedViewerTokens;
  }

  /** The secret that signs share links, or null (then they are signed with a key derived from the viewer token). */
  public String shareKey() {
    return shareKey;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public int maxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  public int maxCameras() {
    return maxCameras;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public Duration cameraIdleTimeout() {
    return cameraIdleTimeout;
  }

  public Duration viewerStallTimeout() {
    return viewerStallTimeout;
  }

  public Duration onDemandLinger() {
    return onDemandLinger;
  }

  public Duration controlTimeout() {
    return controlTimeout;
  }

  public int maxControlBytes() {
    return maxControlBytes;
  }

  public int controlMessagesPerSecond() {
    return controlMessagesPerSecond;
  }

  public int viewerSendBufferBytes() {
    return viewerSendBufferBytes;
  }

  /** Threads that help the publishing thread write a frame to many outputs (0 = none). */
  public int fanOutThreads() {
    return fanOutThreads;
  }

  /** How much of each camera the pre-event ring holds for clips; zero: clips are off (the default). */
  public Duration preEvent() {
    return preEvent;
  }

  /** The most JPEG bytes one camera's pre-event ring holds (default 32 MiB). */
  public long preEventMaxBytes() {
    return preEventMaxBytes;
  }

  /**
   * Where clips go when the relay does not record (then {@code {clipsDir}/{cameraId}/}); with a record folder they go
   * to its {@code {cameraId}/clips/}. Default {@code camrelay-clips} in the working directory.
   */
  public Path clipsDir() {
    return clipsDir;
  }

  public Path tlsPkcs12() {
    return tlsPkcs12;
  }

  /** A copy of the TLS password (null without TLS). */
  public char[] tlsPassword() {
    return tlsPassword == null ? null : tlsPassword.clone();
  }

  /** Whether the camera TCP port refuses plain-TCP cameras (only with TLS; default false: existing firmware). */
  public boolean requireCameraTls() {
    return requireCameraTls;
  }

  public Map<String, URI> pulls() {
    return pulls;
  }

  public boolean serveViewer() {
    return serveViewer;
  }

  /** Wrong tokens an address may present before its token attempts are refused for a while. */
  public int authFailureBurst() {
    return authFailureBurst;
  }

  /** How long an address is refused the first time; doubling with each further wrong token. */
  public Duration authFirstRefusal() {
    return authFirstRefusal;
  }

  /** The longest an address is refused at once. */
  public Duration authMaxRefusal() {
    return authMaxRefusal;
  }

  /** Whether the WebSocket port also takes the seed relay's clients ({@code ipcam_…}/{@code mon_…} at {@code /}). */
  public boolean seedCompatibility() {
    return seedCompatibility;
  }

  /** The token the admin API ({@code PUT}/{@code DELETE /api/cameras/{id}}) needs; null: the admin API is off. */
  public String adminToken() {
    return adminToken;
  }

  /** What to record where, or null when recording is off. */
  public RecordSettings recording() {
    return recording;
  }

  /** The largest firmware image the admin API takes for a camera update. */
  public int maxFirmwareBytes() {
    return maxFirmwareBytes;
  }

  /** The name the relay advertises itself under on the LAN ({@code _camrelay._tcp}); null: not advertised. */
  public String mdnsName() {
    return mdnsName;
  }

  public boolean tlsEnabled() {
    return tlsPkcs12 != null;
  }

  /** True when any token of any kind is configured. */
  public boolean anyToken() {
    return cameraToken != null || !cameraTokens.isEmpty() || viewerToken != null || controlToken != null
        || !scopedViewerTokens.isEmpty() || shareKey != null;
  }

  /** True when the relay listens on a loopback address only (so nothing off this machine can reach it). */
  public boolean loopbackOnly() {
    if (InetAddresses.isUriInetAddress(bindHost)) {
      return InetAddresses.forUriString(bindHost).isLoopbackAddress(); // a literal: no name lookup
    }
    try {
      return InetAddress.getByName(bindHost).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "RelayConfig[bind=" + bindHost + ", tcpPort=" + tcpPort + ", wsPort=" + wsPort + ", httpPort=" + httpPort
        + ", rtspPort=" + rtspPort + ", rtspTcpPacketBytes=" + rtspTcpPacketBytes + ", fanOutThreads=" + fanOutThreads
        + ", nodeName=" + nodeName + ", defaultCameraId=" + defaultCameraId + ", maxFrameBytes=" + maxFrameBytes
        + ", allowRawIngest=" + allowRawIngest() + ", allowUnknownCameras=" + allowUnknownCameras
        + ", cameraToken=" + (cameraToken != null ? "<set>" : "none")
        + ", perCameraTokens=" + cameraTokens.keySet()
        + ", viewerToken=" + (viewerToken != null ? "<set>" : "none")
        + ", controlToken=" + (controlToken != null ? "<set>" : "none")
        + ", scopedViewerTokens=" + scopedViewerTokens.size() + ", shareKey=" + (shareKey != null ? "<set>" : "none")
        + ", maxConnections=" + maxConnections + ", maxConnectionsPerIp=" + maxConnectionsPerIp
        + ", handshakeTimeout=" + handshakeTimeout + ", cameraIdleTimeout=" + cameraIdleTimeout
        + ", viewerStallTimeout=" + viewerStallTimeout + ", onDemandLinger=" + onDemandLinger
        + ", tls=" + (tlsPkcs12 != null ? tlsPkcs12 : "off") + ", requireCameraTls=" + requireCameraTls
        + ", pulls=" + pulls.keySet() + ", serveViewer=" + serveViewer
        + (seedCompatibility ? ", seedCompatibility=true" : "") + ", adminToken=" + (adminToken != null ? "<set>" : "none")
        + (recording != null ? ", " + recording : "")
        + ", maxFirmwareBytes=" + maxFirmwareBytes + ", mdns=" + (mdnsName != null ? "'" + mdnsName + "'" : "off")
        + "]";
  }

  /**
   * Settings with their defaults; every setter checks its value and throws {@link IllegalArgumentException} with a
   * message naming the setting. Not thread-safe.
   */
  public static final class Builder {
    private String bindHost = "0.0.0.0";
    private int tcpPort = 3008;
    private int wsPort = 3009;
    private int httpPort = 3010;
    private int rtspPort = -1;
    private int rtspTcpPacketBytes = RtpJpegPacketizer.MAX_PAYLOAD_BYTES;
    private String defaultCameraId = "default";
    private String nodeName;
    private int maxFrameBytes = 4 * 1024 * 1024;
    private Boolean allowRawIngest;
    private boolean allowUnknownCameras;
    private String cameraToken;
    private final Map<String, String> cameraTokens = new LinkedHashMap<>();
    private String viewerToken;
    private String controlToken;
    private final Map<String, Set<String>> scopedViewerTokens = new LinkedHashMap<>();
    private String shareKey;
    private int maxConnections = 2000;
    private int maxConnectionsPerIp = 250;
    private int maxCameras = 1024;
    private Duration handshakeTimeout = Duration.ofSeconds(5);
    private Duration cameraIdleTimeout = Duration.ofSeconds(15);
    private Duration viewerStallTimeout = Duration.ofSeconds(10);
    private Duration onDemandLinger = Duration.ofSeconds(10);
    private Duration controlTimeout = Duration.ofSeconds(5);
    private int maxControlBytes = 8 * 1024;
    private int controlMessagesPerSecond = 10;
    /** The cap of each viewer's adaptive kernel send buffer (internal.port.ViewerSendBuffer). */
    private int viewerSendBufferBytes = 4 * 1024 * 1024;
    // One per core besides the publishing thread; availableProcessors() honours taskset and container CPU limits.
    private int fanOutThreads = Runtime.getRuntime().availableProcessors() - 1;
    private Duration preEvent = Duration.ZERO;
    private long preEventMaxBytes = 32L * 1024 * 1024;
    private Path clipsDir = Path.of("camrelay-clips");
    private Path tlsPkcs12;
    private char[] tlsPassword;
    private boolean requireCameraTls;
    private final Map<String, URI> pulls = new LinkedHashMap<>();
    private boolean serveViewer = true;
    private int authFailureBurst = 10;
    private Duration authFirstRefusal = Duration.ofSeconds(1);
    private Duration authMaxRefusal = Duration.ofSeconds(60);
    private boolean seedCompatibility;
    private String adminToken;
    private RecordSettings recording;
    private int maxFirmwareBytes = 4 * 1024 * 1024;
    private String mdnsName;

    private Builder() {}

    public Builder bind(String host) {
      this.bindHost = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder tcpPort(int port) {
      this.tcpPort = checkPort(port);
      return this;
    }

    public Builder wsPort(int port) {
      this.wsPort = checkPort(port);
      return this;
    }

    public Builder httpPort(int port) {
      this.httpPort = checkPort(port);
      return this;
    }

    public Builder rtspPort(int port) {
      this.rtspPort = checkPort(port);
      return this;
    }

    public Builder rtspTcpPacketBytes(int bytes) {
      if (bytes < MIN_RTSP_TCP_PACKET_BYTES || bytes > RtpJpegPacketizer.MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException("RTSP TCP packet size " + bytes + ": must be "
            + MIN_RTSP_TCP_PACKET_BYTES + ".." + RtpJpegPacketizer.MAX_PAYLOAD_BYTES + " bytes");
      }
      this.rtspTcpPacketBytes = bytes;
      return this;
    }

    public Builder defaultCameraId(String id) {
      this.defaultCameraId = CameraId.check(id);
      return this;
    }

    /** Null: the host name. */
    public Builder nodeName(String name) {
      if (name != null && !name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("nodeName must be 1..64 of A-Z a-z 0-9 _ -: " + name);
      }
      this.nodeName = name;
      return this;
    }

    public Builder maxFrameBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxFrameBytes must be at least 1024");
      }
      this.maxFrameBytes = bytes;
      return this;
    }

    public Builder allowRawIngest(boolean allow) {
      this.allowRawIngest = allow;
      return this;
    }

    public Builder allowUnknownCameras(boolean allow) {
      this.allowUnknownCameras = allow;
      return this;
    }

    public Builder cameraToken(String token) {
      this.cameraToken = checkToken(token);
      return this;
    }

    public Builder cameraToken(String cameraId, String token) {
      cameraTokens.put(CameraId.check(cameraId), checkToken(token));
      return this;
    }

    public Builder viewerToken(String token) {
      this.viewerToken = checkToken(token);
      return this;
    }

    public Builder controlToken(String token) {
      this.controlToken = checkToken(token);
      return this;
    }

    /**
     * A viewer token that opens only {@code cameraIds} (the same token given again adds to its cameras). Any viewer
     * token, scoped or not, means viewers need one.
     */
    public Builder viewerToken(String token, Set<String> cameraIds) {
      checkToken(token);
      Objects.requireNonNull(cameraIds, "cameraIds");
      if (cameraIds.isEmpty()) {
        throw new IllegalArgumentException("a scoped viewer token needs at least one camera id");
      }
      cameraIds.forEach(CameraId::check);
      scopedViewerTokens.computeIfAbsent(token, t -> new LinkedHashSet<>()).addAll(cameraIds);
      return this;
    }

    /** The secret that signs share links: at least 16 characters, hard to guess ({@link ShareLinkSigner}). */
    public Builder shareKey(String key) {
      this.shareKey = ShareLinkSigner.checkShareKey(key);
      return this;
    }

    public Builder maxConnections(int max) {
      this.maxConnections = checkPositive(max, "maxConnections");
      return this;
    }

    public Builder maxConnectionsPerIp(int max) {
      this.maxConnectionsPerIp = checkPositive(max, "maxConnectionsPerIp");
      return this;
    }

    public Builder maxCameras(int max) {
      this.maxCameras = checkPositive(max, "maxCameras");
      return this;
    }

    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = checkDuration(timeout, "handshakeTimeout");
      return this;
    }

    public Builder cameraIdleTimeout(Duration timeout) {
      this.cameraIdleTimeout = checkDuration(timeout, "cameraIdleTimeout");
      return this;
    }

    public Builder viewerStallTimeout(Duration timeout) {
      this.viewerStallTimeout = checkDuration(timeout, "viewerStallTimeout");
      return this;
    }

    public Builder onDemandLinger(Duration linger) {
      this.onDemandLinger = Objects.requireNonNull(linger, "linger");
      if (linger.isNegative()) {
        throw new IllegalArgumentException("onDemandLinger must not be negative");
      }
      return this;
    }

    public Builder controlTimeout(Duration timeout) {
      this.controlTimeout = checkDuration(timeout, "controlTimeout");
      return this;
    }

    public Builder viewerSendBufferBytes(int bytes) {
      this.viewerSendBufferBytes = checkPositive(bytes, "viewerSendBufferBytes");
      return this;
    }

    public Builder fanOutThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("fanOutThreads must be 0 or more, not " + threads);
      }
      this.fanOutThreads = threads;
      return this;
    }

    /** Keeps the last {@code keep} of every camera in memory for pre-event clips; zero turns clips off. */
    public Builder preEvent(Duration keep) {
      if (keep.isNegative() || keep.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("preEvent must be between 0 and 10 minutes, not " + keep);
      }
      this.preEvent = keep;
      return this;
    }

    public Builder preEventMaxBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("preEventMaxBytes must be positive, not " + bytes);
      }
      this.preEventMaxBytes = bytes;
      return this;
    }

    public Builder clipsDir(Path dir) {
      this.clipsDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    public Builder tls(Path pkcs12, char[] password) {
      this.tlsPkcs12 = Objects.requireNonNull(pkcs12, "pkcs12");
      this.tlsPassword = password == null ? new char[0] : password.clone();
      return this;
    }

    public Builder requireCameraTls(boolean require) {
      this.requireCameraTls = require;
      return this;
    }

    public Builder pull(String cameraId, URI mjpegUrl) {
      pulls.put(CameraId.check(cameraId), Objects.requireNonNull(mjpegUrl, "mjpegUrl"));
      return this;
    }

    public Builder serveViewer(boolean serve) {
      this.serveViewer = serve;
      return this;
    }

    /** Wrong-token throttling per source address ({@code dev.camrelay.relay.internal.auth.AuthFailures}). */
    public Builder authThrottle(int burst, Duration firstRefusal, Duration maxRefusal) {
      this.authFailureBurst = checkPositive(burst, "authThrottle burst");
      this.authFirstRefusal = checkDuration(firstRefusal, "authThrottle firstRefusal");
      this.authMaxRefusal = checkDuration(maxRefusal, "authThrottle maxRefusal");
      if (maxRefusal.compareTo(firstRefusal) < 0) {
        throw new IllegalArgumentException("authThrottle maxRefusal must not be shorter than firstRefusal");
      }
      return this;
    }

    public Builder seedCompatibility(boolean on) {
      this.seedCompatibility = on;
      return this;
    }

    public Builder adminToken(String token) {
      this.adminToken = checkToken(token);
      return this;
    }

    /** Records cameras as {@code settings} say; null (the default) records nothing. */
    public Builder recording(RecordSettings settings) {
      this.recording = settings;
      return this;
    }

    public Builder maxFirmwareBytes(int bytes) {
      this.maxFirmwareBytes = checkPositive(bytes, "maxFirmwareBytes");
      return this;
    }

    /** Advertises the relay on the LAN under {@code name} (1..63 bytes of UTF-8, a DNS-SD instance name). */
    public Builder mdns(String name) {
      Objects.requireNonNull(name, "name");
      int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes < 1 || bytes > 63 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException("mdns name must be 1..63 bytes of UTF-8 without control characters");
      }
      this.mdnsName = name;
      return this;
    }

    public RelayConfig build() {
      if (requireCameraTls && tlsPkcs12 == null) {
        throw new IllegalArgumentException("requireCameraTls needs a TLS keystore (tls(pkcs12, password))");
      }
      if (scopedViewerTokens.containsKey(viewerToken) || scopedViewerTokens.containsKey(controlToken)) {
        throw new IllegalArgumentException(
            "a scoped viewer token must differ from the viewer and control tokens (those open every camera)");
      }
      return new RelayConfig(this);
    }

    private static int checkPort(int port) {
      if (port < -1 || port > 65535) {
        throw new IllegalArgumentException("port must be -1 (disabled), 0 (any) or 1..65535: " + port);
      }
      return port;
    }

    private static int checkPositive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    private static Duration checkDuration(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }

    private static String checkToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("token must not be empty");
      }
      return token;
    }
  }
}
