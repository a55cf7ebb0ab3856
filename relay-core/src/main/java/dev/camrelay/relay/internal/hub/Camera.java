package dev.camrelay.relay.internal.hub;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.ControlException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera id: its attached source ({@link CameraSession}), latest frame, stats and viewers.
 *
 * <p>{@link #publish} hands each frame to every viewer's {@link FrameSink} on the publishing thread; sinks never
 * block, so one slow viewer cannot delay the camera or another viewer. Control commands are forwarded to the source
 * with a relay-assigned request id and fail with {@link ControlException} rather than going unanswered.
 *
 * <p>On-demand cameras are asked to stream ({@code {"cmd":"stream","on":true}}) when the first viewer arrives and to
 * stop ({@code {"cmd":"stream","on":false}}) once no viewer has been attached for the on-demand linger time.
 */
public final class Camera {
  private static final Logger log = LoggerFactory.getLogger(Camera.class);
  static final int MAX_PENDING_CONTROLS = 32;
  static final String STREAM_ON = "{\"cmd\":\"stream\",\"on\":true}";
  static final String STREAM_OFF = "{\"cmd\":\"stream\",\"on\":false}";

  private final String id;
  private final CameraHub hub;
  private final Object lock = new Object();
  private final Object publishLock = new Object();
  private final CopyOnWriteArrayList<Viewer> viewers = new CopyOnWriteArrayList<>();
  private final RateMeter meter = new RateMeter();
  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong framesDropped = new AtomicLong();
  private final Map<Long, PendingControl> pending = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();
  private final PassiveSource javaSource = new PassiveSource("java", "in-process");

  /** Set once a source attached (under the hub's structure lock); such cameras are never forgotten. */
  boolean sourced;
  /** Set when the hub forgot this camera (under the hub's structure lock); viewers then go to its successor. */
  boolean retired;

  private volatile JpegFrame latest;
  private volatile JpegInfo latestInfo;
  private volatile long latestNanos;

  // Written under lock.
  private volatile CameraSession session;
  private String lastIngest;
  private String lastRemote;
  private boolean streaming;
  private ScheduledFuture<?> lingerStop;

  Camera(String id, CameraHub hub) {
    this.id = id;
    this.hub = hub;
  }

  public String id() {
    return id;
  }

  /** The latest complete frame, or null before the first one. */
  public JpegFrame latestFrame() {
    return latest;
  }

  /** Publishes a frame from in-process code (attaches a {@code java} source when none is attached). */
  public void publish(JpegFrame frame) {
    if (session == null) {
      connect(javaSource);
    }
    deliver(frame);
  }

  /**
   * Publishes a frame from {@code source}; ignored (returns false) when {@code source} is no longer the attached
   * session, e.g. a replaced connection still draining its socket.
   */
  public boolean publish(CameraSession source, JpegFrame frame) {
    if (session != source) {
      return false;
    }
    deliver(frame);
    return true;
  }

  private void deliver(JpegFrame frame) {
    long now = System.nanoTime();
    JpegInfo info = null;
    try {
      info = JpegInfo.of(frame);
    } catch (JpegFormatException e) {
      log.debug("camera '{}': no size in frame: {}", id, e.getMessage());
    }
    // One publisher at a time per camera, so every viewer sees frames in the same order as 'latest'.
    synchronized (publishLock) {
      latest = frame;
      if (info != null) {
        latestInfo = info;
      }
      latestNanos = now;
      framesIn.incrementAndGet();
      meter.record(now, frame.size());
      for (Viewer v : viewers) {
        v.offer(frame);
      }
      hub.tap(this, frame);
    }
  }

  /** Counts a frame the camera sent that could not be published (invalid, oversized, truncated). */
  public void frameDropped() {
    framesDropped.incrementAndGet();
  }

  /**
   * Attaches {@code newSession} as this camera's source, closing the previous one with code 10 REPLACED.
   *
   * @return whether the camera should stream now (always true unless it is on-demand and nobody watches)
   */
  public boolean connect(CameraSession newSession) {
    CameraSession old;
    boolean stream;
    synchronized (hub.structure) {
      sourced = true;
    }
    synchronized (lock) {
      old = session;
      if (old == newSession) {
        return streaming || !newSession.onDemand();
      }
      session = newSession;
      lastIngest = newSession.ingest();
      lastRemote = newSession.remote();
      cancelLinger();
      stream = !newSession.onDemand() || wanted();
      streaming = stream;
    }
    if (old != null) {
      String reason = "replaced by a new " + newSession.ingest() + " connection from " + newSession.remote();
      failPending(old, ControlException.Kind.DISCONNECTED, "camera '" + id + "' was replaced before replying");
      log.info("camera '{}' disconnected ({} from {}): {}", id, old.ingest(), old.remote(), reason);
      hub.fireDisconnected(id, reason);
      old.close(10, reason);
    }
    log.info("camera '{}' connected ({} from {}{}{})", id, newSession.ingest(), newSession.remote(),
        newSession.controlSupported() ? ", control" : "",
        newSession.onDemand() ? (stream ? ", on-demand, streaming" : ", on-demand, idle") : "");
    hub.fireConnected(this);
    return stream;
  }

  /** Detaches {@code oldSession} if it is still the attached source; returns whether it was. */
  public boolean disconnect(CameraSession oldSession, String reason) {
    synchronized (lock) {
      if (session != oldSession) {
        return false;
      }
      session = null;
      streaming = false;
      cancelLinger();
    }
    failPending(oldSession, ControlException.Kind.DISCONNECTED,
        "camera '" + id + "' disconnected before replying (" + reason + ")");
    log.info("camera '{}' disconnected ({} from {}): {}", id, oldSession.ingest(), oldSession.remote(), reason);
    hub.fireDisconnected(id, reason);
    return true;
  }

  /** The attached source, or null. */
  public CameraSession session() {
    return session;
  }

  public boolean connected() {
    return session != null;
  }

  /**
   * Registers a viewer and offers it the latest frame at once. The first viewer of an idle on-demand camera starts
   * it streaming.
   *
   * @param kind {@code ws} or {@code mjpeg}, for stats and logs
   */
  public ViewerHandle addViewer(FrameSink sink, String kind) {
    Viewer viewer = new Viewer(sink, kind);
    boolean forgotten;
    synchronized (hub.structure) {
      forgotten = retired;
      if (!forgotten) {
        viewers.add(viewer);
      }
    }
    if (forgotten) {
      return hub.camera(id).addViewer(sink, kind);
    }
    JpegFrame current = latest;
    if (current != null) {
      viewer.offer(current);
    }
    updateDemand();
    return viewer;
  }

  public int viewerCount() {
    return viewers.size();
  }

  /**
   * Sends a command (a JSON object, forwarded untouched) to the camera. Completes with the camera's reply JSON, or
   * fails with {@link ControlException}: offline, unsupported, timeout (the relay's control timeout), disconnected.
   */
  public CompletableFuture<String> control(String json) {
    CameraSession s = session;
    if (s == null) {
      return failed(ControlException.Kind.OFFLINE, "camera '" + id + "' is offline");
    }
    if (!s.controlSupported()) {
      return failed(ControlException.Kind.UNSUPPORTED, "camera '" + id + "' does not accept control commands");
    }
    if (pending.size() >= MAX_PENDING_CONTROLS) {
      return failed(ControlException.Kind.REJECTED,
          "camera '" + id + "' has " + MAX_PENDING_CONTROLS + " commands waiting for a reply; try again later");
    }
    return send(s, json);
  }

  private CompletableFuture<String> send(CameraSession s, String json) {
    long requestId = requestIds.incrementAndGet() & 0xFFFF_FFFFL;
    CompletableFuture<String> future = new CompletableFuture<>();
    long timeoutMs = hub.config().controlTimeout().toMillis();
    PendingControl p = new PendingControl(s, future);
    pending.put(requestId, p);
    p.timeout = hub.timer().schedule(() -> {
      if (pending.remove(requestId, p)) {
        future.completeExceptionally(new ControlException(ControlException.Kind.TIMEOUT,
            "camera '" + id + "' did not answer within " + formatSeconds(timeoutMs)));
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
    try {
      s.sendControl(requestId, json);
    } catch (RuntimeException e) {
      pending.remove(requestId);
      p.timeout.cancel(false);
      future.completeExceptionally(new ControlException(ControlException.Kind.DISCONNECTED,
          "camera '" + id + "' could not be reached: " + e.getMessage()));
    }
    return future;
  }

  /** Delivers a camera's reply to the command with {@code requestId}; late or unknown replies are ignored. */
  public void controlReply(CameraSession from, long requestId, String json) {
    PendingControl p = pending.get(requestId);
    if (p == null || p.session != from || !pending.remove(requestId, p)) {
      log.debug("camera '{}': ignoring reply to unknown or expired request {}", id, requestId);
      return;
    }
    p.timeout.cancel(false);
    p.future.complete(json);
  }

  private void failPending(CameraSession s, ControlException.Kind kind, String message) {
    pending.forEach((rid, p) -> {
      if (p.session == s && pending.remove(rid, p)) {
        p.timeout.cancel(false);
        p.future.completeExceptionally(new ControlException(kind, message));
      }
    });
  }

  /** Re-evaluates whether an on-demand camera should stream: on at the first viewer, off after the linger time. */
  void updateDemand() {
    synchronized (lock) {
      CameraSession s = session;
      if (s == null || !s.onDemand()) {
        return;
      }
      if (wanted()) {
        cancelLinger();
        if (!streaming) {
          streaming = true;
          log.info("camera '{}': viewer arrived, asking the on-demand camera to stream", id);
          sendStreamCommand(s, STREAM_ON);
        }
      } else if (streaming && lingerStop == null) {
        long lingerMs = hub.config().onDemandLinger().toMillis();
        lingerStop = hub.timer().schedule(() -> stopIfUnwatched(s), lingerMs, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void stopIfUnwatched(CameraSession s) {
    synchronized (lock) {
      lingerStop = null;
      if (session != s || wanted() || !streaming) {
        return;
      }
      streaming = false;
      log.info("camera '{}': no viewers for {}, asking the on-demand camera to stop",
          id, formatSeconds(hub.config().onDemandLinger().toMillis()));
      sendStreamCommand(s, STREAM_OFF);
    }
  }

  private void sendStreamCommand(CameraSession s, String json) {
    // The reply is informational; failures are logged, the next viewer change retries.
    send(s, json).whenComplete((reply, err) -> {
      if (err != null) {
        log.debug("camera '{}': stream command {} got no reply: {}", id, json, err.getMessage());
      }
    });
  }

  private boolean wanted() {
    return !viewers.isEmpty() || hub.alwaysWanted();
  }

  private void cancelLinger() {
    if (lingerStop != null) {
      lingerStop.cancel(false);
      lingerStop = null;
    }
  }

  /** A snapshot of this camera's state. */
  public CameraStats stats() {
    CameraSession s;
    String ingest;
    String remote;
    boolean isStreaming;
    synchronized (lock) {
      s = session;
      ingest = s != null ? s.ingest() : lastIngest;
      remote = s != null ? s.remote() : lastRemote;
      isStreaming = s != null && (streaming || !s.onDemand());
    }
    long now = System.nanoTime();
    JpegInfo info = latestInfo;
    double[] rates = meter.rates(now);
    long ageMs = latest == null ? -1 : TimeUnit.NANOSECONDS.toMillis(now - latestNanos);
    return new CameraStats(id, s != null, ingest, remote,
        info == null ? 0 : info.width(), info == null ? 0 : info.height(), info != null && info.progressive(),
        rates[0], rates[1], viewers.size(), framesIn.get(), framesDropped.get(), ageMs,
        s != null && s.controlSupported(), s != null && s.onDemand(), isStreaming);
  }

  static String formatSeconds(long millis) {
    return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
  }

  private static CompletableFuture<String> failed(ControlException.Kind kind, String message) {
    return CompletableFuture.failedFuture(new ControlException(kind, message));
  }

  @Override
  public String toString() {
    return "Camera[" + id + "]";
  }

  private static final class PendingControl {
    final CameraSession session;
    final CompletableFuture<String> future;
    volatile ScheduledFuture<?> timeout;

    PendingControl(CameraSession session, CompletableFuture<String> future) {
      this.session = session;
      this.future = future;
    }
  }

  private final class Viewer implements ViewerHandle {
    private final FrameSink sink;
    private final String kind;
    private final AtomicBoolean closed = new AtomicBoolean();

    Viewer(FrameSink sink, String kind) {
      this.sink = sink;
      this.kind = kind;
    }

    void offer(JpegFrame frame) {
      try {
        sink.offer(frame);
      } catch (RuntimeException e) {
        log.warn("camera '{}': {} viewer failed to take a frame: {}", id, kind, e.toString());
      }
    }

    @Override
    public String cameraId() {
      return id;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        viewers.remove(this);
        updateDemand();
        hub.removeIfUnused(Camera.this);
      }
    }
  }
}
