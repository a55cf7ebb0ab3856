package dev.camrelay.cli.simulate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
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
 * <p>Thread-safe. One background thread sends; a second one reads the relay's messages in framed mode.
 */
public final class SimulatedCamera implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCamera.class);
  private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_RELAY_MESSAGE = 64 * 1024;
  private static final long IDLE_PING_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

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

  private final String host;
  private final int port;
  private final String cameraId;
  private final String token;
  private final double fps;
  private final Mode mode;
  private final boolean onDemand;
  private final FrameSource source;
  private final String firmware;
  private final CameraSettings settings;

  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong framesSkipped = new AtomicLong();
  private final AtomicLong controlsReceived = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicReference<String> lastControl = new AtomicReference<>();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final Object wake = new Object();
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile Socket socket;
  private Thread sender;

  private SimulatedCamera(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.cameraId = b.cameraId;
    this.token = b.token;
    this.fps = b.fps;
    this.mode = b.mode;
    this.onDemand = b.onDemand && b.mode == Mode.FRAMED;
    this.firmware = b.firmware;
    this.settings = new CameraSettings(b.width, b.height, b.quality, !this.onDemand, (int) Math.round(b.fps), firmware);
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
    List<byte[]> frames = new java.util.ArrayList<>(count);
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
    if (closed) {
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
      if (closed) {
        return;
      }
      closed = true;
      t = sender;
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    closeSocket(socket);
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
    return framesSent.get();
  }

  /** JPEG bytes written so far. */
  public long bytesSent() {
    return bytesSent.get();
  }

  /** The JSON of the last CONTROL command received from the relay, or null if none yet. */
  public String lastControl() {
    return lastControl.get();
  }

  /** Frames not sent because they exceeded the relay's WELCOME maxPayload. */
  public long framesSkipped() {
    return framesSkipped.get();
  }

  /** CONTROL commands received so far. */
  public long controlsReceived() {
    return controlsReceived.get();
  }

  /** Connections established so far (framed: completed handshakes); more than one means it reconnected. */
  public long connections() {
    return connections.get();
  }

  /** True while a connection is up (framed: after WELCOME). */
  public boolean connected() {
    return connected;
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
    return lastError.get();
  }

  /** The camera id it announces. */
  public String cameraId() {
    return cameraId;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void run() {
    TestPattern pattern = source == null ? new TestPattern() : null;
    FrameSource frames = source != null ? source
        : (n, w, h) -> pattern.render(n, cameraId, settings.snapshot());
    long backoffMillis = 250;
    boolean announcedFailure = false;
    while (!closed) {
      try {
        boolean progressed = switch (mode) {
          case FRAMED -> runFramed(frames);
          case RAW -> runRaw(frames);
          case RAW_PER_FRAME -> runPerFrame(frames);
        };
        if (progressed) {
          backoffMillis = 250;
          announcedFailure = false;
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          break;
        }
        String why = describe(e);
        lastError.set(why);
        if (why.startsWith("relay sent BYE")) {
          log.info("camera '{}': {}; reconnecting", cameraId, why); // an orderly close, e.g. a relay restart
        } else if (!announcedFailure) {
          log.warn("camera '{}': {} (relay {}:{}); reconnecting", cameraId, why, host, port);
          announcedFailure = true;
        } else {
          log.debug("camera '{}': {}", cameraId, why);
        }
      } finally {
        connected = false;
        closeSocket(socket);
      }
      if (closed) {
        break;
      }
      long sleep = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
      pause(sleep);
      backoffMillis = Math.min(5000, backoffMillis * 2);
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** One framed session; returns true if the handshake completed. */
  private boolean runFramed(FrameSource frames) throws IOException {
    Socket s = connect();
    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    FramedLink link = new FramedLink(out);
    Session session = new Session(link);
    Thread reader = new Thread(() -> session.read(s), "camrelay-sim-" + cameraId + "-reader");
    reader.setDaemon(true);
    link.hello(cameraId, token, onDemand, firmware);
    reader.start();
    if (!session.awaitWelcome()) {
      throw new IOException(session.failure != null ? session.failure : "no WELCOME within " + HANDSHAKE_TIMEOUT.toSeconds() + " s");
    }
    if (onDemand) {
      settings.streaming(session.streamOnWelcome);
    }
    connected = true;
    connections.incrementAndGet();
    log.info("camera '{}' connected to {}:{} (framed v{}{})", cameraId, host, port, session.version,
        onDemand ? ", on demand" : "");
    Pacer pacer = new Pacer(fps);
    long lastSentNanos = System.nanoTime();
    while (!closed && session.failure == null) {
      if (session.restart) {
        log.info("camera '{}' restarting on request", cameraId);
        link.bye(0, "restart");
        return true;
      }
      if (settings.streaming()) {
        pacer.await(this);
        if (closed || !settings.streaming() || session.restart) {
          continue;
        }
        CameraSettings.Snapshot snap = settings.snapshot();
        long n = framesSent.get();
        byte[] jpeg = frames.frame(n, snap.width(), snap.height());
        if (jpeg.length > session.maxPayload) {
          if (framesSkipped.getAndIncrement() == 0 || log.isDebugEnabled()) {
            log.warn("camera '{}': frame of {} bytes exceeds the relay's limit of {} bytes; skipped", cameraId,
                jpeg.length, session.maxPayload);
          }
          continue;
        }
        synchronized (session.sendLock) {
          if (!settings.streaming() || closed) {
            continue; // stream off arrived while rendering: this frame must not go out
          }
          link.frame(n, TimeUnit.NANOSECONDS.toMicros(System.nanoTime()), jpeg);
          sent(jpeg);
        }
        lastSentNanos = System.nanoTime();
      } else {
        pacer.reset();
        if (System.nanoTime() - lastSentNanos > IDLE_PING_NANOS) {
          link.ping(new byte[] {'s', 'i', 'm'}); // keeps an idle on-demand camera from hitting the relay's idle timeout
          lastSentNanos = System.nanoTime();
        }
        synchronized (wake) {
          if (!closed && !settings.streaming() && !session.restart && session.failure == null) {
            try {
              wake.wait(500);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return true;
            }
          }
        }
      }
    }
    if (session.failure != null && !closed) {
      throw new IOException(session.failure);
    }
    if (closed) {
      try {
        link.bye(0, "camera shutting down");
      } catch (IOException ignored) {
        // the relay may already be gone
      }
    }
    return true;
  }

  private boolean runRaw(FrameSource frames) throws IOException {
    Socket s = connect();
    OutputStream out = s.getOutputStream();
    connected = true;
    connections.incrementAndGet();
    log.info("camera '{}' connected to {}:{} (raw JPEG stream)", cameraId, host, port);
    Pacer pacer = new Pacer(fps);
    while (!closed) {
      pacer.await(this);
      if (closed) {
        break;
      }
      CameraSettings.Snapshot snap = settings.snapshot();
      byte[] jpeg = frames.frame(framesSent.get(), snap.width(), snap.height());
      out.write(jpeg);
      out.flush();
      sent(jpeg);
    }
    return true;
  }

  private boolean runPerFrame(FrameSource frames) throws IOException {
    Pacer pacer = new Pacer(fps);
    boolean any = false;
    while (!closed) {
      pacer.await(this);
      if (closed) {
        break;
      }
      CameraSettings.Snapshot snap = settings.snapshot();
      byte[] jpeg = frames.frame(framesSent.get(), snap.width(), snap.height());
      Socket s = connect();
      try {
        if (!any) {
          log.info("camera '{}' sending to {}:{} (one connection per frame)", cameraId, host, port);
        }
        connected = true;
        connections.incrementAndGet();
        OutputStream out = s.getOutputStream();
        out.write(jpeg);
        out.flush();
        s.shutdownOutput(); // the end of the connection is the end of the frame
        sent(jpeg);
        any = true;
      } finally {
        closeSocket(s);
      }
    }
    return any;
  }

  private void sent(byte[] jpeg) {
    framesSent.incrementAndGet();
    bytesSent.addAndGet(jpeg.length);
    settings.frameSent();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), 5000);
    } catch (IOException e) {
      closeSocket(s);
      throw e;
    }
    socket = s;
    if (closed) { // close() ran between the check and the assignment
      closeSocket(s);
      throw new SocketException("closed");
    }
    return s;
  }

  private static void closeSocket(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  private void pause(long millis) {
    synchronized (wake) {
      if (!closed) {
        try {
          wake.wait(Math.max(1, millis));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void wakeUp() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Paces sending at a frame rate without drift; after a long stall it resynchronizes instead of bursting. */
  private static final class Pacer {
    private final long intervalNanos;
    private long next;

    Pacer(double fps) {
      this.intervalNanos = fps > 0 ? (long) (1e9 / fps) : 0;
      this.next = System.nanoTime();
    }

    void reset() {
      next = System.nanoTime();
    }

    void await(SimulatedCamera cam) {
      if (intervalNanos == 0) {
        return;
      }
      long now = System.nanoTime();
      if (now - next > TimeUnit.SECONDS.toNanos(1)) {
        next = now;
      }
      long wait;
      while ((wait = next - System.nanoTime()) > 0 && !cam.closed) {
        long millis = TimeUnit.NANOSECONDS.toMillis(wait);
        int nanos = (int) (wait - TimeUnit.MILLISECONDS.toNanos(millis));
        synchronized (cam.wake) {
          try {
            cam.wake.wait(millis, nanos); // close() wakes it early
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      next += intervalNanos;
    }
  }

  /** The reader side of one framed connection. */
  private final class Session implements FramedLink.Handler {
    private final FramedLink link;
    /**
     * Held while a frame is written and while a command is applied and answered, so a command takes effect between
     * frames: once the relay has the reply to stream off, no further frame follows.
     */
    final Object sendLock = new Object();
    private final java.util.concurrent.CountDownLatch welcomed = new java.util.concurrent.CountDownLatch(1);
    volatile int version;
    volatile boolean streamOnWelcome;
    volatile long maxPayload = Integer.MAX_VALUE;
    volatile String failure;
    volatile boolean restart;

    Session(FramedLink link) {
      this.link = link;
    }

    void read(Socket s) {
      try {
        InputStream in = s.getInputStream();
        FramedLink.readLoop(in, MAX_RELAY_MESSAGE, this);
        fail("relay closed the connection");
      } catch (IOException | RuntimeException e) {
        fail(describe(e));
      }
    }

    private void fail(String why) {
      if (failure == null) {
        failure = why;
      }
      welcomed.countDown();
      wakeUp();
    }

    boolean awaitWelcome() {
      try {
        return welcomed.await(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && failure == null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void welcome(int version, boolean stream, long maxPayload) {
      this.version = version;
      this.streamOnWelcome = stream;
      this.maxPayload = maxPayload;
      welcomed.countDown();
    }

    @Override
    public void control(long requestId, String json) {
      controlsReceived.incrementAndGet();
      lastControl.set(json);
      CameraSettings.Outcome outcome;
      synchronized (sendLock) {
        outcome = settings.apply(json);
        try {
          link.controlReply(requestId, outcome.replyJson());
        } catch (IOException e) {
          fail(describe(e));
        }
      }
      log.info("camera '{}' control {} -> {}", cameraId, json, outcome.replyJson());
      if (outcome.effect() == CameraSettings.Effect.RESTART) {
        restart = true;
      }
      wakeUp();
    }

    @Override
    public void ping(byte[] data) {
      try {
        link.pong(data);
      } catch (IOException e) {
        fail(describe(e));
      }
    }

    @Override
    public void closing(String kind, int code, String reason) {
      fail("relay sent " + kind + " " + code + ": " + reason);
    }
  }

  /** Configures a {@link SimulatedCamera}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 3008;
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

    /** The camera id ({@code [A-Za-z0-9._-]{1,64}}); framed mode only, raw ingest lands on the relay's default camera. */
    public Builder cameraId(String id) {
      if (id == null || !CAMERA_ID.matcher(id).matches()) {
        throw new IllegalArgumentException("camera id must be 1..64 of [A-Za-z0-9._-]: " + id);
      }
      this.cameraId = id;
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
