package dev.camrelay.relay.internal.hub;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.ControlException;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.runtime.ChurnLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera id: its attached source, latest frame, stats and outputs. The pieces with rules of their own live
 * beside it: {@link AttachedOutput} (per-output delivery), {@link ControlRequests} (request/reply matching) and
 * {@link OnDemand} (stream on/off with linger).
 *
 * <p>Frames are handed to every output one publisher at a time ({@link FanOut} spreads one frame's offers over the
 * cores), so every output sees them in the same order as {@link #latest()}; outputs never block, so no output
 * delays the camera or another.
 */
final class Camera {
  private static final Logger log = LoggerFactory.getLogger(Camera.class);
  private final ChurnLog churn = new ChurnLog(log); // connect/disconnect lines, summarised while the camera churns
  static final String STREAM_ON = "{\"cmd\":\"stream\",\"on\":true}";
  static final String STREAM_OFF = "{\"cmd\":\"stream\",\"on\":false}";
  private static final SourceInfo IN_PROCESS = SourceInfo.of("java", "in-process").withVerified();

  private final String id;
  private final Hub hub;
  private final Object lock = new Object();
  private final Object publishLock = new Object();
  private final CopyOnWriteArrayList<AttachedOutput> outputs = new CopyOnWriteArrayList<>();
  /** The outputs as an array for the fan-out; replaced, under the list's monitor, whenever one comes or goes. */
  private volatile AttachedOutput[] outputArray = new AttachedOutput[0];
  private final RateMeter meter = new RateMeter();
  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  /** Frames handed to viewers that have since left, so {@link #framesOut()} never goes down. */
  private final AtomicLong framesOutOfGoneViewers = new AtomicLong();
  private final AtomicLong framesDropped = new AtomicLong();
  private final ControlRequests controls;
  private final OnDemand onDemand;

  /** Set once a source attached (under the hub's structure lock); such cameras are never forgotten. */
  boolean sourced;
  /** Set when the hub forgot this camera (under the hub's structure lock); outputs then go to its successor. */
  boolean retired;
  /**
   * Set when the operator removed the camera while a viewer still held it (under the hub's structure lock): it is
   * forgotten when the last viewer leaves, unless a source attaches first.
   */
  boolean forgetWhenIdle;

  /** The latest frame with its place in this camera's order of publication (read together, never torn). */
  record Published(CameraFrame frame, long order) {}

  private volatile Published latest;
  private volatile boolean latestProgressive;
  private volatile long latestNanos;

  // Written under lock.
  private volatile AttachedSource source;
  private SourceInfo lastInfo;
  /** When the current source attached, or when the camera last became idle (no source, no viewer). */
  private volatile long sinceNanos = System.nanoTime();

  Camera(String id, Hub hub) {
    this.id = id;
    this.hub = hub;
    this.controls = new ControlRequests(id, hub.timer(), hub.config().controlTimeout().toMillis());
    this.onDemand = new OnDemand(hub.timer(), hub.config().onDemandLinger().toMillis());
  }

  String id() {
    return id;
  }

  Hub hub() {
    return hub;
  }

  ControlRequests controls() {
    return controls;
  }

  CameraFrame latest() {
    Published p = latest;
    return p == null ? null : p.frame();
  }

  Published latestPublished() {
    return latest;
  }

  // ---- sources

  /** Attaches a source, detaching the previous one ({@link DetachReason#REPLACED}). */
  AttachedSource attach(SourceInfo info, CameraSource newSource) {
    AttachedSource attached = new AttachedSource(this, info, newSource);
    AttachedSource old;
    boolean stream;
    synchronized (lock) {
      old = source;
      if (old != null) {
        old.attached = false;
      }
      source = attached;
      lastInfo = info;
      sinceNanos = System.nanoTime();
      stream = onDemand.attached(info.onDemand(), wanted());
    }
    if (old != null) {
      String reason = "replaced by a new " + info.kind() + " connection from " + info.remote();
      left(old, reason);
      old.notifyDetached(DetachReason.REPLACED, reason);
    }
    churn.connected(hub.timer(), id, info.kind() + " from " + info.remote() + (info.control() ? ", control" : "")
        + (info.onDemand() ? (stream ? ", on-demand, streaming" : ", on-demand, idle") : ""));
    hub.fireConnected(this);
    return attached;
  }

  /** Detaches {@code s} if it is still the attached source; returns whether it was. */
  boolean detach(AttachedSource s, String reason) {
    synchronized (lock) {
      if (source != s) {
        return false;
      }
      s.attached = false;
      source = null;
      onDemand.detached();
      sinceNanos = System.nanoTime();
    }
    left(s, reason);
    // Removed by the operator while this source (or a viewer) still held it: the last one to leave lets it go.
    hub.removeIfUnused(this);
    return true;
  }

  private void left(AttachedSource s, String reason) {
    controls.failAll(s, ControlException.Kind.DISCONNECTED,
        "camera '" + id + "' disconnected before replying (" + reason + ")");
    churn.disconnected(hub.timer(), id, s.attachedAs.kind() + " from " + s.attachedAs.remote(), reason);
    hub.fireDisconnected(id, reason);
  }

  /** Detaches the source on the relay's initiative (shutdown) and tells it why. */
  void detachSource(DetachReason reason, String message) {
    AttachedSource s = source;
    if (s != null && detach(s, message)) {
      s.notifyDetached(reason, message);
    }
  }

  boolean connected() {
    return source != null;
  }

  /** What the attached source declared, or null when none is attached. */
  SourceInfo sourceInfo() {
    AttachedSource s = source;
    return s == null ? null : s.info;
  }

  /** The info of the source attached now or last, null if none ever was. */
  SourceInfo lastSourceInfo() {
    synchronized (lock) {
      return lastInfo;
    }
  }

  /** Nothing holds this camera: no source and no viewer (relay-wide outputs do not count); the hub may forget it. */
  boolean idle() {
    return source == null && viewerCount() == 0;
  }

  /** A source is attached that did not prove its token (see {@link SourceInfo#verified()}). */
  boolean heldByUnverifiedSource() {
    AttachedSource s = source;
    return s != null && !s.info.verified();
  }

  /** When the current source attached, or, for an idle camera, since when it is idle. */
  long sinceNanos() {
    return sinceNanos;
  }

  /** The hub forgets this camera: its remaining (relay-wide) outputs are let go quietly. */
  void forget() {
    for (AttachedOutput o : outputs) {
      o.close();
    }
  }

  boolean streamWanted(AttachedSource s) {
    synchronized (lock) {
      return source == s && (!s.info.onDemand() || onDemand.streaming());
    }
  }

  // ---- frames

  /** Attaches a {@code java} source for in-process publishing when no source is attached. */
  void attachInProcessSourceIfNone() {
    if (source == null) {
      attach(IN_PROCESS, (reason, message) -> { });
    }
  }

  /** In-process publishing: publishes as the camera, whichever source is attached. */
  void publishInProcess(JpegFrame jpeg) {
    publishFrom(null, jpeg, AttachedSource.NONE, AttachedSource.NONE);
  }

  /**
   * Publishes a frame of {@code from} to every output; false (nothing done) when {@code from} is no longer the
   * attached source. {@code from == null}: in-process publishing, not tied to one source.
   */
  boolean publishFrom(AttachedSource from, JpegFrame jpeg, long sequence, long captureMicros) {
    long nowNanos = System.nanoTime();
    long nowMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    JpegInfo info = null;
    try {
      info = JpegInfo.of(jpeg);
    } catch (JpegFormatException e) {
      log.debug("camera '{}': no size in frame: {}", id, e.getMessage());
    }
    // One publisher at a time per camera, so every output sees frames in the same order as 'latest'.
    synchronized (publishLock) {
      if (from != null && source != from) {
        return false;
      }
      long count = framesIn.incrementAndGet();
      CameraFrame frame = new CameraFrame(id, jpeg, sequence == AttachedSource.NONE ? count : sequence,
          captureMicros == AttachedSource.NONE ? nowMicros : captureMicros, nowMicros,
          info == null ? (latest == null ? 0 : latest.frame().width()) : info.width(),
          info == null ? (latest == null ? 0 : latest.frame().height()) : info.height());
      latest = new Published(frame, count);
      if (info != null) {
        latestProgressive = info.progressive();
      }
      latestNanos = nowNanos;
      meter.record(nowNanos, jpeg.size());
      bytesIn.addAndGet(jpeg.size());
      hub.fanOut().offer(outputArray, frame, count);
    }
    return true;
  }

  void frameDropped() {
    framesDropped.incrementAndGet();
  }

  // ---- outputs

  /** Registers an output; returns null when the hub forgot this camera meanwhile (attach to its successor). */
  AttachedOutput addOutput(CameraOutput output, boolean viewer) {
    AttachedOutput attached = new AttachedOutput(output, this, viewer);
    synchronized (hub.structure) {
      if (retired) {
        return null;
      }
      synchronized (outputs) {
        outputs.add(attached);
        outputArray = outputs.toArray(new AttachedOutput[0]);
      }
    }
    try {
      output.onAttached(attached);
    } catch (RuntimeException e) {
      log.warn("camera '{}': {} output failed when attached: {}", id, output.kind(), e.toString());
      attached.detach(DetachReason.FAILED, "the output failed when attached: " + e);
      return attached;
    }
    attached.ready(); // onAttached is done: frames may flow (one that arrived meanwhile goes out now)
    updateDemand();
    return attached;
  }

  void removeOutput(AttachedOutput o) {
    boolean removed;
    synchronized (outputs) {
      removed = outputs.remove(o);
      if (removed) {
        outputArray = outputs.toArray(new AttachedOutput[0]);
      }
    }
    if (removed) {
      if (o.viewer) {
        framesOutOfGoneViewers.addAndGet(o.framesDelivered());
      }
      if (o.viewer && viewerCount() == 0 && source == null) {
        sinceNanos = System.nanoTime();
      }
      updateDemand();
      hub.removeIfUnused(this);
    }
  }

  Iterable<AttachedOutput> outputs() {
    return outputs;
  }

  int viewerCount() {
    int n = 0;
    for (AttachedOutput o : outputs) {
      n += o.viewer ? 1 : 0;
    }
    return n;
  }

  /** Viewers whose output says {@code kind} ({@link dev.camrelay.relay.CameraOutput#kind()}). */
  int viewerCount(String kind) {
    int n = 0;
    for (AttachedOutput o : outputs) {
      n += o.viewer && kind.equals(o.output.kind()) ? 1 : 0;
    }
    return n;
  }

  /** Frames handed to this camera's viewers since it was first seen, each viewer counted (relay-wide outputs not). */
  long framesOut() {
    long n = framesOutOfGoneViewers.get();
    for (AttachedOutput o : outputs) {
      n += o.viewer ? o.framesDelivered() : 0;
    }
    return n;
  }

  /** JPEG bytes of the frames published since the camera was first seen. */
  long bytesIn() {
    return bytesIn.get();
  }

  int outputCount() {
    return outputs.size();
  }

  // ---- control and on-demand

  CompletableFuture<String> control(String json) {
    AttachedSource s = source;
    if (s == null) {
      return failed(ControlException.Kind.OFFLINE, "camera '" + id + "' is offline");
    }
    if (!s.info.control()) {
      return failed(ControlException.Kind.UNSUPPORTED, "camera '" + id + "' does not accept control commands");
    }
    if (controls.full()) {
      return failed(ControlException.Kind.REJECTED, "camera '" + id + "' has " + ControlRequests.MAX_PENDING
          + " commands waiting for a reply; try again later");
    }
    return controls.send(s, json, s.source::onControl);
  }

  /** Re-evaluates whether an on-demand camera should stream: on at the first output, off after the linger time. */
  void updateDemand() {
    synchronized (lock) {
      AttachedSource s = source;
      if (s == null || !s.info.onDemand()) {
        return;
      }
      if (onDemand.update(wanted(), () -> stopIfUnwatched(s)) == Boolean.TRUE) {
        log.info("camera '{}': viewer arrived, asking the on-demand camera to stream", id);
        sendStream(s, true);
      }
    }
  }

  private void stopIfUnwatched(AttachedSource s) {
    synchronized (lock) {
      if (source != s || !onDemand.lingerExpired(wanted())) {
        return;
      }
      log.info("camera '{}': no viewers for {}, asking the on-demand camera to stop", id,
          formatSeconds(onDemand.lingerMs()));
      sendStream(s, false);
    }
  }

  // Under lock, so stream commands reach the source in the order they were decided.
  private void sendStream(AttachedSource s, boolean on) {
    // The reply is informational; failures are logged, the next change of outputs retries.
    controls.send(s, on ? STREAM_ON : STREAM_OFF, request -> s.source.onStreamRequest(on, request))
        .whenComplete((reply, err) -> {
          if (err != null) {
            log.debug("camera '{}': stream {} got no reply: {}", id, on ? "on" : "off", err.getMessage());
          }
        });
  }

  private boolean wanted() {
    return !outputs.isEmpty();
  }

  // ---- stats

  CameraStats stats() {
    AttachedSource s;
    SourceInfo info;
    boolean streaming;
    synchronized (lock) {
      s = source;
      info = s != null ? s.info : lastInfo;
      streaming = s != null && (!s.info.onDemand() || onDemand.streaming());
    }
    long now = System.nanoTime();
    CameraFrame frame = latest();
    double[] rates = meter.rates(now);
    long ageMs = frame == null ? -1 : TimeUnit.NANOSECONDS.toMillis(now - latestNanos);
    return new CameraStats(id, s != null, info == null ? null : info.kind(), info == null ? null : info.remote(),
        frame == null ? 0 : frame.width(), frame == null ? 0 : frame.height(), frame != null && latestProgressive,
        rates[0], rates[1], viewerCount(), framesIn.get(), framesDropped.get(), ageMs,
        s != null && s.info.control(), s != null && s.info.onDemand(), streaming, info == null ? null : info.node());
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
}
