package dev.camrelay.cli.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import dev.camrelay.frame.wire.CameraId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera that behaves like the ESP32 firmware, for demos, tests and load: it connects to a relay's TCP ingest
 * port and streams JPEGs (a moving test pattern, the files of a folder, or frames from a {@link FrameSource}).
 *
 * <pre>
 *   FRAMED         HELLO ─►  ◄─ WELCOME   FRAME FRAME FRAME …   (CONTROL ◄─► reply, PING ◄─► PONG)
 *   RAW            FFD8…FFD9 FFD8…FFD9 FFD8…FFD9 …               one persistent connection, JPEGs back to back
 *   RAW_PER_FRAME  connect, FFD8…FFD9, close; connect, …         one connection per frame (the hobby sketch)
 * </pre>
 *
 * <p>In framed mode it answers CONTROL like the firmware (framesize, quality, brightness, contrast, led, vflip,
 * hmirror, stream on/off, status, restart; anything else gets {@code {"ok":false,"error":"unknown command 'x'"}}),
 * answers PING with PONG, PINGs the relay while it is not streaming, and with {@link Builder#onDemand(boolean)}
 * streams only when the relay asks for it. Raw modes cannot receive commands and always stream.
 * It reconnects with exponential backoff (0.25 s doubling to 5 s, with jitter) until {@link #close()}.
 *
 * <p>Thread-safe. One background thread sends; a second one reads the relay's messages in framed mode. Each mode is
 * an {@link Upload} ({@link FramedUpload}, {@link RawStreamUpload}, {@link PerFrameUpload}); this class owns the
 * life cycle and the reconnect loop.
 */
public final class SimulatedCamera implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCamera.class);

  /** How the camera talks to the relay. */
  public enum Mode {
    /** The framed protocol v1 (HELLO/WELCOME, FRAME, CONTROL, PING). */
    FRAMED,
    /** One persistent TCP connection, JPEGs back to back, nothing read back. */
    RAW,
    /** One TCP connection per JPEG, closed after the frame, like the original hobby sketch. */
    RAW_PER_FRAME
  }

  /** Supplies the JPEG bytes of each frame (e.g. tagged frames for load tests). Called on the sending thread. */
  @FunctionalInterface
  public interface FrameSource {
    /**
     * Returns the complete JPEG for frame {@code frameNumber} (0, 1, 2 … over the camera's life); {@code width}
     * and {@code height} are the size the relay last asked for with framesize (a source may ignore them).
     */
    byte[] frame(long frameNumber, int width, int height);
  }

  private final String cameraId;
  private final String token;
  private final double fps;
  private final Mode mode;
  private final boolean onDemand;
  private final FrameSource source;
  private final String firmware;
  private final CameraSettings settings;
  private final CameraCounters counters = new CameraCounters();
  private final StopSignal stop = new StopSignal();
  private final RelayConnector relay;
  private Thread sender;

  private SimulatedCamera(Builder b) {
    this.cameraId = b.cameraId;
    this.token = b.token;
    this.fps = b.fps;
    this.mode = b.mode;
    this.onDemand = b.onDemand && b.mode == Mode.FRAMED;
    this.firmware = b.firmware;
    this.settings = new CameraSettings(b.width, b.height, b.quality, !this.onDemand, (int) Math.round(b.fps), firmware);
    this.relay = new RelayConnector(b.host, b.port, stop, b.tls);
    if (b.source != null) {
      this.source = b.source;
    } else if (b.framesFolder != null) {
      List<byte[]> files;
      try {
        files = FrameFolder.load(b.framesFolder);
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
      this.source = (n, w, h) -> files.get((int) (n % files.size()));
    } else {
      this.source = null; // the test pattern, created on the sending thread (it is not thread-safe)
    }
  }

  /**
   * Renders {@code count} frames of the moving test pattern (frame numbers 0..count-1) at the given size and ESP32
   * quality (0 best .. 63 worst), e.g. to preload a load test or to have real JPEGs in a test.
   */
  public static List<byte[]> testPatternFrames(int count, int width, int height, int quality) {
    TestPattern pattern = new TestPattern();
    CameraSettings.Snapshot s = new CameraSettings.Snapshot(width, height, quality, 0, 0, false, false, 0, true);
    List<byte[]> frames = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      frames.add(pattern.render(i, "test", s));
    }
    return frames;
  }

  /**
   * Loads the JPEG files of a folder (*.jpg, *.jpeg, sorted by name), checking each is one complete JPEG.
   *
   * @throws IOException naming the folder if it is missing or empty, or the first file that is not a JPEG
   */
  public static List<byte[]> loadFrames(Path dir) throws IOException {
    return FrameFolder.load(dir);
  }

  /** A builder; the defaults are 127.0.0.1:3008, camera {@code default}, 10 fps, 640x480 (VGA), framed. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts connecting and streaming in the background; returns at once. */
  public synchronized SimulatedCamera start() {
    if (sender != null) {
      throw new IllegalStateException("already started");
    }
    if (stop.stopped()) {
      throw new IllegalStateException("closed");
    }
    sender = new Thread(this::run, "camrelay-sim-" + cameraId);
    sender.setDaemon(true);
    sender.start();
    return this;
  }

  /** Stops streaming, says BYE in framed mode, closes the connection and waits (up to 2 s) for the threads. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (stop.stopped()) {
        return;
      }
      stop.stop();
      t = sender;
    }
    relay.closeCurrent();
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Frames written to the relay so far (over all connections). */
  public long framesSent() {
    return counters.framesSent();
  }

  /** JPEG bytes written so far. */
  public long bytesSent() {
    return counters.bytesSent();
  }

  /** The JSON of the last CONTROL command received from the relay, or null if none yet. */
  public String lastControl() {
    return counters.lastControl();
  }

  /** Frames not sent because they exceeded the relay's WELCOME maxPayload. */
  public long framesSkipped() {
    return counters.framesSkipped();
  }

  /** CONTROL commands received so far. */
  public long controlsReceived() {
    return counters.controlsReceived();
  }

  /** Connections established so far (framed: completed handshakes); more than one means it reconnected. */
  public long connections() {
    return counters.connections();
  }

  /** True while a connection is up (framed: after WELCOME). */
  public boolean connected() {
    return counters.isConnected();
  }

  /** True while the camera sends frames (false for an on-demand camera nobody is watching, or after stream off). */
  public boolean streaming() {
    return settings.streaming();
  }

  /** The current frame width (changes with the framesize command). */
  public int width() {
    return settings.snapshot().width();
  }

  /** The current frame height (changes with the framesize command). */
  public int height() {
    return settings.snapshot().height();
  }

  /** The last connection problem, e.g. "connection refused" or "relay sent ERROR 3: bad token"; null if none. */
  public String lastError() {
    return counters.lastError();
  }

  /** The camera id it announces. */
  public String cameraId() {
    return cameraId;
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** The sending thread: runs the mode's upload, reconnecting with backoff until {@link #close()}. */
  private void run() {
    Upload upload = Upload.of(mode, new UploadContext(cameraId, token, firmware, onDemand, fps, settings, counters,
        stop, relay, frameSourceOfThisThread()));
    ReconnectBackoff backoff = new ReconnectBackoff();
    while (!stop.stopped()) {
      try {
        if (upload.run()) {
          backoff.reset();
        }
      } catch (IOException | RuntimeException e) {
        if (stop.stopped()) {
          break;
        }
        reportFailure(RelayConnector.describe(e), backoff);
      } finally {
        counters.disconnected();
        relay.closeCurrent();
      }
      if (stop.stopped()) {
        break;
      }
      stop.await(TimeUnit.MILLISECONDS.toNanos(backoff.next()));
    }
  }

  private FrameSource frameSourceOfThisThread() {
    if (source != null) {
      return source;
    }
    TestPattern pattern = new TestPattern();
    return (n, w, h) -> pattern.render(n, cameraId, settings.snapshot());
  }

  private void reportFailure(String why, ReconnectBackoff backoff) {
    counters.failed(why);
    if (why.startsWith("relay sent BYE")) {
      log.info("camera '{}': {}; reconnecting", cameraId, why); // an orderly close, e.g. a relay restart
    } else if (backoff.firstFailure()) {
      log.warn("camera '{}': {} (relay {}); reconnecting", cameraId, why, relay.address());
    } else {
      log.debug("camera '{}': {}", cameraId, why);
    }
  }

  /** Configures a {@link SimulatedCamera}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 3008;
    private CameraTls tls;
    private String cameraId = "default";
    private String token;
    private double fps = 10;
    private int width = 640;
    private int height = 480;
    private int quality = 12;
    private Mode mode = Mode.FRAMED;
    private boolean onDemand;
    private Path framesFolder;
    private FrameSource source;
    private String firmware = "camrelay-simulator";

    private Builder() {}

    /** The relay's TCP ingest address. */
    public Builder relay(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Connect with TLS, accepting the certificate as {@code tls} says; null (the default) for plain TCP. */
    public Builder tls(CameraTls tls) {
      this.tls = tls;
      return this;
    }

    /** The camera id ({@link CameraId#RULE}); framed mode only, raw ingest lands on the relay's default camera. */
    public Builder cameraId(String id) {
      this.cameraId = CameraId.check(id);
      return this;
    }

    /** The camera token sent in HELLO (framed mode); null for none. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Frames per second; 0 sends as fast as the relay accepts. */
    public Builder fps(double fps) {
      if (!(fps >= 0) || fps > 1000) {
        throw new IllegalArgumentException("fps must be 0..1000: " + fps);
      }
      this.fps = fps;
      return this;
    }

    /** The test pattern's starting size (the framesize command changes it). */
    public Builder size(int width, int height) {
      if (width < 16 || height < 16 || width > 4096 || height > 4096) {
        throw new IllegalArgumentException("size must be 16..4096 each way: " + width + "x" + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    /** ESP32 JPEG quality, 0 (best) .. 63 (worst); default 12. */
    public Builder quality(int quality) {
      if (quality < 0 || quality > 63) {
        throw new IllegalArgumentException("quality must be 0..63: " + quality);
      }
      this.quality = quality;
      return this;
    }

    /** The connection mode; default {@link Mode#FRAMED}. */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Announce ON_DEMAND and stream only while the relay asks (framed mode only). */
    public Builder onDemand(boolean onDemand) {
      this.onDemand = onDemand;
      return this;
    }

    /** Replay the JPEG files of this folder (sorted by name, looped) instead of the test pattern. */
    public Builder framesFolder(Path dir) {
      this.framesFolder = dir;
      return this;
    }

    /** Take frames from this source instead of the test pattern or a folder. */
    public Builder frameSource(FrameSource source) {
      this.source = source;
      return this;
    }

    /** The firmware string sent in HELLO and in the status reply. */
    public Builder firmware(String firmware) {
      this.firmware = Objects.requireNonNull(firmware, "firmware");
      return this;
    }

    /**
     * Builds the camera (not started).
     *
     * @throws UncheckedIOException if the frames folder is missing, empty, or holds a file that is not a JPEG
     */
    public SimulatedCamera build() {
      return new SimulatedCamera(this);
    }
  }
}
