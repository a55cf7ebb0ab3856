package dev.camrelay.relay;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.internal.hub.Hub;
import dev.camrelay.relay.internal.port.websocket.WsServer;
import dev.camrelay.relay.internal.record.RecordSettings;
import dev.camrelay.relay.internal.record.Recorder;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.runtime.RelayRuntime;
import dev.camrelay.relay.internal.runtime.Version;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera relay: cameras push JPEG frames in, viewers get them out, each at its own pace.
 *
 * <pre>
 * camera ──TCP 3008 (raw JPEG | framed v1)──┐
 * camera ──WS 3009 /ingest/{id}─────────────┤               ┌─ WS 3009 /, /cam/{id}  (one binary message = one JPEG)
 * Java publish(cameraId, jpeg) ─────────────┼─► cameras ────┼─ HTTP 3010 /cam/{id}/stream.mjpeg, snapshot.jpg
 * HTTP pull (MJPEG URL) ────────────────────┘               └─ Java onFrame listeners
 * </pre>
 *
 * <p>Build one with {@link #builder()}, {@link #start()} it, {@link #close()} it. Every frame a viewer receives is
 * one complete, structurally valid JPEG exactly as the camera sent it. A viewer that reads slowly gets the newest
 * frame whenever it is ready for one (at most one frame waits per viewer); a viewer that stops reading for the
 * stall timeout is disconnected. Neither ever slows the camera or another viewer.
 *
 * <p>Limits (defaults): frames up to 4 MiB, 2000 connections, 250 per IP address, 1024 cameras, HELLO within 5 s,
 * a silent camera is dropped after 15 s, a stuck viewer after 10 s, control commands up to 8 KiB and 10 per second
 * per viewer, answered within 5 s or failed; after 10 wrong tokens from one address its token attempts are refused
 * for 1 s, doubling to 60 s ({@link Builder#authThrottle}).
 */
public final class CameraRelay implements CameraHub, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CameraRelay.class);

  private enum State { NEW, STARTING, STARTED, CLOSED }

  private final RelayRuntime runtime;
  private final Hub hub;
  private final Object lifecycle = new Object();
  private State state = State.NEW;

  private CameraRelay(RelayConfig config, MeterRegistry meterRegistry) {
    this.runtime = new RelayRuntime(config, meterRegistry);
    this.hub = runtime.hub();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds every enabled port and starts serving; returns once all are bound.
   *
   * @throws PortBindException naming the port that could not be bound and the {@link Builder} setting that chose
   *     it, e.g. {@code TCP ingest port 3008 is already in use}; nothing stays bound in that case
   * @throws IOException if the TLS keystore cannot be read
   * @throws IllegalStateException if already started or closed
   */
  public void start() throws IOException {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        throw new IllegalStateException(state == State.CLOSED ? "relay is closed" : "relay already started");
      }
      state = State.STARTING;
    }
    try {
      runtime.start();
      synchronized (lifecycle) {
        state = State.STARTED;
      }
      log.info("camrelay {} started (tcp {}, ws {}, http {})", Version.get(), tcpPort(), wsPort(), httpPort());
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The bound TCP ingest port, -1 when disabled or not started. */
  public int tcpPort() {
    return runtime.tcpPort();
  }

  /** The bound WebSocket port, -1 when disabled or not started. */
  public int wsPort() {
    return runtime.wsPort();
  }

  /** The bound HTTP port, -1 when disabled or not started. */
  public int httpPort() {
    return runtime.httpPort();
  }

  /**
   * This relay's name among the nodes of a cluster ({@link Builder#nodeName}): {@code /api/cameras} shows it as the
   * {@code node} of every camera connected here.
   */
  public String nodeName() {
    return runtime.config().nodeName();
  }

  /**
   * The registry the relay's meters live in (served as {@code /metrics}, and mirrored to the embedder's registry
   * when one was given): extensions such as a cluster register their own meters here.
   */
  public MeterRegistry meterRegistry() {
    return runtime.meters().registry();
  }

  /** The bound RTSP port, -1 when disabled or not started. */
  public int rtspPort() {
    return runtime.rtspPort();
  }

  /**
   * Publishes one JPEG as camera {@code cameraId} (which shows as ingest {@code java} unless another source is
   * attached). The array is validated and then kept: do not modify it afterwards.
   *
   * @throws JpegFormatException if {@code jpeg} is not exactly one complete, structurally valid JPEG
   * @throws IllegalArgumentException if the camera id is not valid
   */
  @Override
  public void publish(String cameraId, byte[] jpeg) throws JpegFormatException {
    Objects.requireNonNull(jpeg, "jpeg");
    hub.publish(cameraId, JpegFrame.parse(jpeg));
  }

  @Override
  public void publish(String cameraId, JpegFrame frame) {
    hub.publish(cameraId, frame);
  }

  /**
   * Calls {@code listener} for every frame of every camera, on a relay thread, in order per camera. It is an output
   * like any other ({@link CameraOutput}): while it is busy with a frame, newer frames replace the one waiting, so a
   * slow listener gets fewer, fresh frames and never delays viewers; one busy with a frame for longer than the stall
   * timeout is detached from that camera. While any frame listener is registered, on-demand cameras keep streaming.
   * In a cluster it gets the cameras connected to this node only ({@link OutputFactory#remoteCameras()}).
   *
   * @return closing it unregisters the listener
   */
  public AutoCloseable onFrame(FrameListener listener) {
    Objects.requireNonNull(listener, "listener");
    return runtime.addFrameListener(listener);
  }

  @Override
  public AutoCloseable onCameraEvent(CameraListener listener) {
    return hub.onCameraEvent(listener);
  }

  @Override
  public SourceHandle attachSource(String cameraId, SourceInfo info, CameraSource source) {
    return hub.attachSource(cameraId, info, source);
  }

  @Override
  public OutputHandle attachOutput(String cameraId, CameraOutput output) {
    return hub.attachOutput(cameraId, output);
  }

  @Override
  public AutoCloseable attachOutputs(OutputFactory factory) {
    return hub.attachOutputs(factory);
  }

  @Override
  public Optional<CameraFrame> latestFrame(String cameraId) {
    return hub.latestFrame(cameraId);
  }

  @Override
  public Optional<CameraStats> camera(String cameraId) {
    return hub.camera(cameraId);
  }

  @Override
  public List<CameraStats> cameras() {
    return hub.cameras();
  }

  @Override
  public CompletableFuture<String> control(String cameraId, String json) {
    return hub.control(cameraId, json);
  }

  /**
   * The configured cameras (pulls and per-camera tokens, from the builder at first), changeable while the relay runs;
   * the admin API uses the same registry.
   */
  public CameraRegistry registry() {
    return runtime.registry();
  }

  /** Internal: the recorder, null when recording is off (for tests). */
  Recorder recorder() {
    return runtime.recorder();
  }

  /** Internal: the WebSocket server, null when disabled or not started (for tests). */
  WsServer wsServer() {
    return runtime.wsServer();
  }

  @Override
  public String toString() {
    return "CameraRelay[tcp " + tcpPort() + ", ws " + wsPort() + ", http " + httpPort() + ", " + runtime.config()
        + "]";
  }

  /**
   * Stops everything: closes every connection (cameras get BYE 9 SHUTTING_DOWN, viewers close code 1001), unbinds
   * every port and ends every relay thread. Returns within about a second. Idempotent.
   */
  @Override
  public void close() {
    boolean wasStarted;
    synchronized (lifecycle) {
      if (state == State.CLOSED) {
        return;
      }
      wasStarted = state == State.STARTED;
      state = State.CLOSED;
    }
    runtime.close();
    if (wasStarted) {
      log.info("camrelay stopped"); // not after a failed start: it never ran
    }
  }

  /**
   * Configures a {@link CameraRelay}. Defaults: bind {@code 0.0.0.0}, TCP ingest 3008, WebSocket 3009, HTTP 3010
   * (0 = any free port, -1 = disabled), default camera id {@code default}, no tokens. Every setter checks its value
   * and throws {@link IllegalArgumentException} naming the setting.
   */
  public static final class Builder {
    private final RelayConfig.Builder settings = RelayConfig.builder();
    private final RecordSettings.Builder recording = RecordSettings.builder();
    private MeterRegistry meterRegistry;

    private Builder() {}

    /** The address to listen on for every port, e.g. {@code 127.0.0.1} or {@code 0.0.0.0} (the default). */
    public Builder bind(String host) {
      settings.bind(host);
      return this;
    }

    /** The camera port (raw JPEG and the framed protocol); default 3008, 0 = any free port, -1 = off. */
    public Builder tcpPort(int port) {
      settings.tcpPort(port);
      return this;
    }

    /** The WebSocket port (viewers and WebSocket cameras); default 3009, 0 = any free port, -1 = off. */
    public Builder wsPort(int port) {
      settings.wsPort(port);
      return this;
    }

    /** The HTTP port (page, MJPEG, snapshots, API, metrics); default 3010, 0 = any free port, -1 = off. */
    public Builder httpPort(int port) {
      settings.httpPort(port);
      return this;
    }

    /**
     * The RTSP port (MJPEG over RTP, RFC 2435, for NVRs and media tools: {@code rtsp://host:port/{camera}});
     * default -1 = off (the command line's default is 8554), 0 = any free port.
     */
    public Builder rtspPort(int port) {
      settings.rtspPort(port);
      return this;
    }

    /**
     * The largest RTP payload (bytes, RTP/JPEG headers included) sent to RTSP clients that take RTP interleaved on
     * their RTSP connection (TCP); default 65523, the most an interleaved packet carries, so a typical frame is one
     * packet. Most RTSP servers send packets of at most ~1400 bytes; a client with a small read buffer may show
     * nothing or fail with large ones: then lower this (e.g. 1400), at some CPU cost per frame and client. UDP
     * clients always get 1400-byte payloads.
     *
     * @throws IllegalArgumentException outside 512..65523
     */
    public Builder rtspTcpPacketSize(int bytes) {
      settings.rtspTcpPacketBytes(bytes);
      return this;
    }

    /** The camera raw JPEG ingest and the WebSocket viewer path {@code /} use. */
    public Builder defaultCameraId(String id) {
      settings.defaultCameraId(id);
      return this;
    }

    /**
     * This relay's name among the nodes of a cluster, 1..64 of {@code A-Z a-z 0-9 _ -}; default (or null) the host
     * name. Shown in {@code /api/cameras} as the {@code node} of cameras connected to this relay.
     */
    public Builder nodeName(String name) {
      settings.nodeName(name);
      return this;
    }

    /** Largest accepted frame, default 4 MiB, at least 1024; larger frames are refused before they are buffered. */
    public Builder maxFrameBytes(int bytes) {
      settings.maxFrameBytes(bytes);
      return this;
    }

    /**
     * Whether tokenless raw JPEG streams are accepted on the TCP port. Unset (the default): accepted only while no
     * camera token of any kind is configured. Raw ingest is refused anyway when a camera token applies to the
     * default camera, because raw streams cannot carry one.
     */
    public Builder allowRawIngest(boolean allow) {
      settings.allowRawIngest(allow);
      return this;
    }

    /**
     * With per-camera tokens only (no global camera token): whether cameras whose id has no token may publish
     * without one. Default false: once some cameras have tokens, unknown ids are refused.
     */
    public Builder allowUnknownCameras(boolean allow) {
      settings.allowUnknownCameras(allow);
      return this;
    }

    /** The token every camera must present (framed HELLO, WebSocket ingest), unless it has its own. */
    public Builder cameraToken(String token) {
      settings.cameraToken(token);
      return this;
    }

    /** The token camera {@code cameraId} must present (instead of the global camera token). */
    public Builder cameraToken(String cameraId, String token) {
      settings.cameraToken(cameraId, token);
      return this;
    }

    /** The token viewers must present ({@code ?token=}, {@code bearer.<token>} subprotocol, Bearer header). */
    public Builder viewerToken(String token) {
      settings.viewerToken(token);
      return this;
    }

    /**
     * A viewer token that opens only {@code cameraIds}: WebSocket viewers, MJPEG and snapshots of those cameras, and
     * only those in {@code /api/cameras}; other cameras answer 403. Repeatable, and usable beside {@link
     * #viewerToken(String)}; any viewer token means viewers need one.
     */
    public Builder viewerToken(String token, Set<String> cameraIds) {
      settings.viewerToken(token, cameraIds);
      return this;
    }

    /**
     * The secret that signs share links ({@link ShareLinkSigner}), at least 16 characters. Without it, share links
     * are signed with a key derived from the viewer token (and stop working when it changes); with neither, share
     * links are off. Setting it means viewers need a token.
     */
    public Builder shareKey(String key) {
      settings.shareKey(key);
      return this;
    }

    /**
     * The token that allows sending control commands (and viewing). Without one, control is allowed only when the
     * relay has no tokens at all and listens on loopback only.
     */
    public Builder controlToken(String token) {
      settings.controlToken(token);
      return this;
    }

    /** Open connections over all ports together; default 2000. */
    public Builder maxConnections(int max) {
      settings.maxConnections(max);
      return this;
    }

    /** Open connections from one IP address over all ports together; default 250. */
    public Builder maxConnectionsPerIp(int max) {
      settings.maxConnectionsPerIp(max);
      return this;
    }

    /** Cameras the relay keeps at once; default 1024. */
    public Builder maxCameras(int max) {
      settings.maxCameras(max);
      return this;
    }

    /** How long a new connection may take to identify itself (framed HELLO, WebSocket upgrade); default 5 s. */
    public Builder handshakeTimeout(Duration timeout) {
      settings.handshakeTimeout(timeout);
      return this;
    }

    /** A camera that sends nothing for this long is dropped; default 15 s. */
    public Builder cameraIdleTimeout(Duration timeout) {
      settings.cameraIdleTimeout(timeout);
      return this;
    }

    /**
     * A viewer or output that makes no progress on a frame for this long is detached; default 10 s. Applies to
     * every output attached with {@link CameraRelay#attachOutput}.
     */
    public Builder viewerStallTimeout(Duration timeout) {
      settings.viewerStallTimeout(timeout);
      return this;
    }

    /** How long an on-demand camera keeps streaming after its last viewer left; default 10 s. */
    public Builder onDemandLinger(Duration linger) {
      settings.onDemandLinger(linger);
      return this;
    }

    /** How long a control command may wait for the camera's reply; default 5 s. */
    public Builder controlTimeout(Duration timeout) {
      settings.controlTimeout(timeout);
      return this;
    }

    /**
     * The most a viewer socket's kernel send buffer may grow to; default 4 MiB. Each viewer's buffer starts at
     * 32 KiB and follows its measured delivery rate (about 100 ms of it, Linux doubling the value for bookkeeping),
     * so a slow viewer keeps little queued (fresh frames) while a fast or long link gets room for big frames. A value
     * of 32 KiB or less fixes every viewer's buffer at that value. The kernel also clamps it to
     * {@code net.core.wmem_max}.
     */
    public Builder viewerSendBufferBytes(int bytes) {
      settings.viewerSendBufferBytes(bytes);
      return this;
    }

    /**
     * Threads that help write each frame to a camera's viewers, so the last of many viewers is not served after all
     * the others' writes on one thread; default: one per core besides the publishing thread (none on one core).
     * Only cameras with at least 32 outputs are split, and only while the split measurably gets frames out sooner:
     * every 1,024 such frames the relay times 32 frames each way and keeps the split only when it is at least 15%
     * faster (where the other cores are busy it is not, and would only cost CPU).
     */
    public Builder fanOutThreads(int threads) {
      settings.fanOutThreads(threads);
      return this;
    }

    /**
     * Pre-event clips: keeps the last {@code keep} (at most 10 minutes) of every camera in memory, so that
     * {@code POST /cam/{id}/clips?before=10s&after=20s} (control token) saves what came before the request too, as
     * an AVI. Zero (the default) turns clips off.
     */
    public Builder preEvent(Duration keep) {
      settings.preEvent(keep);
      return this;
    }

    /** The most JPEG bytes one camera's pre-event ring holds (default 32 MiB): large frames keep fewer seconds. */
    public Builder preEventMaxBytes(long bytes) {
      settings.preEventMaxBytes(bytes);
      return this;
    }

    /**
     * Where pre-event clips go when the relay does not record: {@code dir/{cameraId}/} (default
     * {@code camrelay-clips} in the working directory). A recording relay puts them in its record folder's
     * {@code {cameraId}/clips/}.
     */
    public Builder clipsDir(Path dir) {
      settings.clipsDir(dir);
      return this;
    }

    /**
     * Serves the WebSocket and HTTP ports with TLS using the key and certificate in a PKCS#12 file, and accepts TLS
     * on the camera TCP port too (plain TCP cameras still work there unless {@link #requireCameraTls}).
     */
    public Builder tls(Path pkcs12, char[] password) {
      settings.tls(pkcs12, password);
      return this;
    }

    /**
     * Refuses plain-TCP cameras on the camera TCP port (a framed camera gets ERROR 3 AUTH_FAILED saying TLS is
     * required; a raw stream is closed); default false, because existing firmware speaks plain TCP. Needs
     * {@link #tls}; {@link #build()} throws {@link IllegalArgumentException} without it.
     */
    public Builder requireCameraTls(boolean require) {
      settings.requireCameraTls(require);
      return this;
    }

    /** Pulls camera {@code cameraId} from an MJPEG URL (e.g. an ESP32's {@code http://cam:81/stream}). */
    public Builder pull(String cameraId, URI mjpegUrl) {
      settings.pull(cameraId, mjpegUrl);
      return this;
    }

    /** Whether the HTTP port serves the web viewer page at {@code /} (default true). */
    public Builder serveViewer(boolean serve) {
      settings.serveViewer(serve);
      return this;
    }

    /**
     * Slows token guessing per client address: after {@code burst} wrong tokens from one address (default 10), its
     * token attempts on every port are refused for {@code firstRefusal} (default 1 s), doubling with each further
     * wrong token up to {@code maxRefusal} (default 60 s); forgotten after 10 minutes without wrong tokens. Other
     * addresses are never affected.
     */
    public Builder authThrottle(int burst, Duration firstRefusal, Duration maxRefusal) {
      settings.authThrottle(burst, firstRefusal, maxRefusal);
      return this;
    }

    /**
     * Lets the WebSocket clients of the Node relay camrelay's users come from connect unchanged (default off): at
     * {@code /}, a camera offering the subprotocol {@code ipcam_<token>} publishes as the default camera (the suffix is
     * checked as its camera token), a monitor offering {@code mon_<token>} watches it (the suffix is checked as a
     * viewer or control token) and its text messages go to the camera as control commands (with the control token
     * only). Such a camera gets those texts as they were sent. Clients of camrelay's own protocols are unaffected.
     */
    public Builder seedCompatibility(boolean on) {
      settings.seedCompatibility(on);
      return this;
    }

    /**
     * The token the admin API needs ({@code PUT}/{@code DELETE /api/cameras/{id}}: add, change and remove cameras
     * while the relay runs, see {@link CameraRegistry}). Without one the admin API is off.
     */
    public Builder adminToken(String token) {
      settings.adminToken(token);
      return this;
    }

    /**
     * The largest firmware image the admin API takes for a camera update ({@code POST /api/cameras/{id}/firmware});
     * default 4 MiB, which holds any ESP32 app partition of a 4 MB flash. Offered images are kept in memory until the
     * camera has downloaded them (one per camera at most).
     */
    public Builder maxFirmwareBytes(int bytes) {
      settings.maxFirmwareBytes(bytes);
      return this;
    }

    /**
     * Advertises the relay on the LAN by mDNS / DNS-SD as service {@code _camrelay._tcp} named {@code name} (e.g.
     * {@code camrelay on nas}), so cameras without a configured host find it: SRV port = the camera port, TXT
     * {@code port} (camera port), {@code tls} (1 when the camera port takes TLS), {@code http}, {@code ws},
     * {@code version}, {@code id} (the name). Default: not advertised. Advertised on the bind address, or with
     * {@code 0.0.0.0} on every up, non-loopback IPv4 interface that supports multicast; never for a relay bound to
     * loopback only. mDNS stays on the local link.
     */
    public Builder mdns(String name) {
      settings.mdns(name);
      return this;
    }

    /**
     * Also registers the relay's meters (those of {@code /metrics}: per-camera frames, viewers, connections, MJPEG,
     * auth and RTSP figures, see the README) in {@code registry}, the embedding application's Micrometer registry.
     * Per-camera meters (tag {@code camera}) are removed when the relay forgets the camera. {@code /metrics} is
     * served from the relay's own Prometheus registry either way.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = java.util.Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Records cameras into {@code dir} (created when missing): each camera's JPEGs, unchanged, in MJPEG AVI files
     * of {@link #recordSegment} under {@code dir/{cameraId}/}, named by their first frame's UTC time, each with a
     * {@code .times} sidecar of every frame's wall-clock time. A killed relay or a power cut loses at most about the
     * last second; unfinished files are repaired at the next start. A full or unwritable disk pauses recording (log
     * line, {@code camrelay_record_paused}) without affecting viewers, until it can write again.
     */
    public Builder recordDir(Path dir) {
      recording.dir(dir);
      return this;
    }

    /** Records only these cameras (default: all, when {@link #recordDir} is set). */
    public Builder recordCameras(Set<String> cameraIds) {
      recording.cameras(cameraIds);
      return this;
    }

    /** Length of each recorded file, 1 s to 24 h (default 5 min). */
    public Builder recordSegment(Duration length) {
      recording.segment(length);
      return this;
    }

    /** Deletes recordings whose last frame is older than {@code age} (default: keep). */
    public Builder recordKeep(Duration age) {
      recording.keep(age);
      return this;
    }

    /**
     * Deletes the oldest recordings while all of them together take more than {@code bytes}, the files being
     * written included (which are never deleted) (default: no cap).
     */
    public Builder recordMaxBytes(long bytes) {
      recording.maxBytes(bytes);
      return this;
    }

    /**
     * @throws IllegalArgumentException if settings contradict each other (e.g. recording settings without
     *     {@link #recordDir})
     */
    public CameraRelay build() {
      settings.recording(recording.build());
      return new CameraRelay(settings.build(), meterRegistry);
    }
  }
}
