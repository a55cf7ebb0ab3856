package dev.camrelay.relay.internal.hub;

import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraListener;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.ControlException;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputFactory;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.runtime.ListenerDispatcher;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's {@link CameraHub}: all cameras by id, created on demand (by a source attaching or an output waiting
 * for one) up to {@link RelayConfig#maxCameras()}. A camera that never had a source is forgotten when its last
 * output leaves. Sweeps for stalled outputs every quarter of the stall timeout (at most every second).
 */
public final class Hub implements CameraHub {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private final RelayConfig config;
  private final ScheduledExecutorService timer;
  private final Executor listenerExecutor;
  private final ConcurrentHashMap<String, Camera> cameras = new ConcurrentHashMap<>();
  /** Serializes forgetting unused cameras against outputs and sources attaching to them. */
  final Object structure = new Object();
  private final CopyOnWriteArrayList<RelayWideOutputs> relayWide = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<ListenerDispatcher> cameraListeners = new CopyOnWriteArrayList<>();
  private final ScheduledFuture<?> stallSweep;
  private final LogLimiter evictions = new LogLimiter(log, 10_000);
  private volatile boolean closed;
  private final FanOut fanOut;

  public Hub(RelayConfig config, ScheduledExecutorService timer, Executor listenerExecutor) {
    this.config = config;
    this.timer = timer;
    this.listenerExecutor = listenerExecutor;
    this.fanOut = new FanOut(config.fanOutThreads());
    long stallNanos = config.viewerStallTimeout().toNanos();
    long sweepMs = Math.max(50, Math.min(1000, config.viewerStallTimeout().toMillis() / 4));
    this.stallSweep = timer.scheduleWithFixedDelay(() -> sweepStalled(stallNanos), sweepMs, sweepMs,
        TimeUnit.MILLISECONDS);
  }

  RelayConfig config() {
    return config;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  FanOut fanOut() {
    return fanOut;
  }

  // ---- the seam

  @Override
  public SourceHandle attachSource(String cameraId, SourceInfo info, CameraSource source) {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(source, "source");
    // Attached under the structure lock, so the new camera cannot be forgotten as idle before its source is on.
    synchronized (structure) {
      Camera c = cameraOrNew(cameraId, info.verified());
      sourceArriving(c, info);
      return c.attach(info, source);
    }
  }

  @Override
  public OutputHandle attachOutput(String cameraId, CameraOutput output) {
    Objects.requireNonNull(output, "output");
    while (true) {
      AttachedOutput attached = cameraOrNew(cameraId).addOutput(output, true);
      if (attached != null) {
        return attached;
      }
      // The camera was forgotten between lookup and attach: attach to the one that replaces it.
    }
  }

  @Override
  public AutoCloseable attachOutputs(OutputFactory factory) {
    Objects.requireNonNull(factory, "factory");
    RelayWideOutputs registration = new RelayWideOutputs(factory);
    relayWide.add(registration);
    synchronized (structure) {
      for (Camera c : cameras.values()) {
        if (c.sourced && registration.serves(c.lastSourceInfo())) {
          registration.attachTo(c);
        }
      }
    }
    return registration;
  }

  @Override
  public Optional<CameraFrame> latestFrame(String cameraId) {
    return find(cameraId).map(Camera::latest);
  }

  @Override
  public Optional<CameraStats> camera(String cameraId) {
    return find(cameraId).map(Camera::stats);
  }

  /** Viewers of the camera whose output is of {@code kind} ({@code ws}, {@code mjpeg}, {@code rtsp}); 0 if unknown. */
  public int viewers(String cameraId, String kind) {
    return find(cameraId).map(c -> c.viewerCount(kind)).orElse(0);
  }

  /** Frames handed to the camera's viewers (each viewer counted); 0 if unknown. */
  public long framesOut(String cameraId) {
    return find(cameraId).map(Camera::framesOut).orElse(0L);
  }

  /** JPEG bytes the camera published since it was first seen; 0 if unknown. */
  public long bytesIn(String cameraId) {
    return find(cameraId).map(Camera::bytesIn).orElse(0L);
  }

  /** Control replies the camera sent in time; 0 if unknown. */
  public long controlReplies(String cameraId) {
    return find(cameraId).map(c -> c.controls().replies()).orElse(0L);
  }

  /** Summed control round-trip nanoseconds of those replies; 0 if unknown. */
  public double controlReplyNanos(String cameraId) {
    return find(cameraId).map(c -> (double) c.controls().replyNanos()).orElse(0.0);
  }

  @Override
  public List<CameraStats> cameras() {
    List<Camera> list = new ArrayList<>(cameras.values());
    list.sort(Comparator.comparing(Camera::id));
    List<CameraStats> stats = new ArrayList<>(list.size());
    for (Camera c : list) {
      stats.add(c.stats());
    }
    return stats;
  }

  @Override
  public CompletableFuture<String> control(String cameraId, String json) {
    Objects.requireNonNull(json, "json");
    if (json.length() > config.maxControlBytes()) {
      return CompletableFuture.failedFuture(new ControlException(ControlException.Kind.REJECTED,
          "command is larger than " + config.maxControlBytes() + " bytes"));
    }
    try {
      if (!JsonParser.parseString(json).isJsonObject()) {
        throw new JsonSyntaxException("not an object");
      }
    } catch (JsonSyntaxException e) {
      return CompletableFuture.failedFuture(new ControlException(ControlException.Kind.REJECTED,
          "command is not a JSON object"));
    }
    return find(cameraId)
        .map(c -> c.control(json))
        .orElseGet(() -> CompletableFuture.failedFuture(new ControlException(ControlException.Kind.OFFLINE,
            "camera '" + cameraId + "' is offline")));
  }

  @Override
  public AutoCloseable onCameraEvent(CameraListener listener) {
    Objects.requireNonNull(listener, "listener");
    ListenerDispatcher d = new ListenerDispatcher(listenerExecutor, "camera listener " + listener, listener);
    cameraListeners.add(d);
    return () -> cameraListeners.remove(d);
  }

  @Override
  public void publish(String cameraId, JpegFrame frame) {
    Objects.requireNonNull(frame, "frame");
    Camera camera;
    synchronized (structure) {
      camera = cameraOrNew(cameraId, true);
      if (camera.sourceInfo() == null) {
        sourceArriving(camera, null); // an in-process source, connected here, is about to attach
      }
      camera.attachInProcessSourceIfNone();
    }
    camera.publishInProcess(frame);
  }

  // ---- operator actions (the camera registry)

  /**
   * Detaches camera {@code cameraId}'s source if {@code which} accepts it, telling it {@code reason}; returns whether
   * one was detached.
   */
  public boolean detachSource(String cameraId, Predicate<SourceInfo> which, DetachReason reason,
      String message) {
    Camera c = cameras.get(cameraId);
    SourceInfo info = c == null ? null : c.sourceInfo();
    if (info == null || !which.test(info)) {
      return false;
    }
    c.detachSource(reason, message);
    return true;
  }

  /**
   * Forgets camera {@code cameraId} if nothing holds it (no source, no viewer), so it leaves the camera list; if a
   * viewer still holds it, once the last viewer leaves (unless a source attaches before).
   */
  public void forgetIfIdle(String cameraId) {
    synchronized (structure) {
      Camera c = cameras.get(cameraId);
      if (c != null && c.idle()) {
        forget(c);
      } else if (c != null) {
        c.forgetWhenIdle = true;  // a viewer whose connection is still closing must not keep it listed for ever
      }
    }
  }

  // ---- cameras

  private Optional<Camera> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(cameras.get(id));
  }

  /** Gets or creates camera {@code id} for an output; see {@link #attachOutput} for the errors. */
  private Camera cameraOrNew(String id) {
    synchronized (structure) {
      return cameraOrNew(id, false);
    }
  }

  /**
   * Gets or creates camera {@code id}. At the limit, the camera idle longest (no source, no viewer) is forgotten to
   * make room; with none idle, a {@code verified} newcomer lets go of the unverified camera connected longest ago,
   * and anyone else is refused. So the limit bounds what costs resources, and strangers cannot lock out a camera
   * that holds its token. Under the structure lock.
   */
  private Camera cameraOrNew(String id, boolean verified) {
    CameraId.check(id);
    if (closed) {
      throw new IllegalStateException("the relay is closed");
    }
    Camera existing = cameras.get(id);
    if (existing != null) {
      return existing;
    }
    if (cameras.size() >= config.maxCameras() && !makeRoom(verified)) {
      throw new IllegalStateException("too many cameras (limit " + config.maxCameras() + ")");
    }
    return cameras.computeIfAbsent(id, k -> new Camera(k, this));
  }

  // Under the structure lock.
  private boolean makeRoom(boolean verified) {
    Camera idlest = oldest(Camera::idle);
    if (idlest != null) {
      forget(idlest);
      return true;
    }
    if (!verified) {
      return false;
    }
    Camera victim = oldest(Camera::heldByUnverifiedSource);
    if (victim == null) {
      return false;
    }
    evictions.warn("evict", "relay full (" + config.maxCameras() + " cameras): letting camera '" + victim.id()
        + "' go to make room for a camera that proved its token");
    victim.detachSource(DetachReason.EVICTED, "the relay needed the room for a camera that proved its token");
    if (victim.idle()) {
      forget(victim);
    }
    return true; // with viewers still on the victim the registry is one over the limit until they leave
  }

  private Camera oldest(java.util.function.Predicate<Camera> which) {
    Camera found = null;
    for (Camera c : cameras.values()) {
      if (which.test(c) && (found == null || c.sinceNanos() - found.sinceNanos() < 0)) {
        found = c;
      }
    }
    return found;
  }

  // Under the structure lock.
  private void forget(Camera c) {
    c.retired = true;
    cameras.remove(c.id(), c);
    c.forget();
  }

  /**
   * Source {@code info} is about to attach to {@code c}: the camera is marked as having had a source (never forgotten
   * while held) and relay-wide outputs attach to it if they serve such a source, or leave it if not (a camera that
   * moved to another node of a cluster), before the source can ask for frames. Under the structure lock.
   */
  private void sourceArriving(Camera c, SourceInfo info) {
    c.sourced = true;
    c.forgetWhenIdle = false;
    for (RelayWideOutputs r : relayWide) {
      if (r.serves(info)) {
        r.attachTo(c);
      } else {
        r.leave(c, info.node());
      }
    }
  }

  /**
   * Forgets a camera that never had a source and has no outputs (an output waited for it, then left), or one the
   * operator removed while a viewer held it, once nothing holds it.
   */
  void removeIfUnused(Camera camera) {
    synchronized (structure) {
      if (!camera.sourced && camera.outputCount() == 0 && camera.latest() == null) {
        camera.retired = true;
        cameras.remove(camera.id(), camera);
      } else if (camera.forgetWhenIdle && camera.idle() && cameras.get(camera.id()) == camera) {
        forget(camera);
      }
    }
  }

  private void sweepStalled(long stallNanos) {
    long now = System.nanoTime();
    for (Camera c : cameras.values()) {
      for (AttachedOutput o : c.outputs()) {
        o.detachIfStalled(now, stallNanos);
      }
    }
  }

  // ---- events

  void fireConnected(Camera camera) {
    if (cameraListeners.isEmpty()) {
      return;
    }
    CameraStats stats = camera.stats();
    for (ListenerDispatcher d : cameraListeners) {
      d.submit(() -> ((CameraListener) d.target()).onConnected(stats));
    }
  }

  void fireDisconnected(String id, String reason) {
    for (ListenerDispatcher d : cameraListeners) {
      d.submit(() -> ((CameraListener) d.target()).onDisconnected(id, reason));
    }
  }

  /**
   * Closes the hub: every source is detached with {@link DetachReason#SHUTTING_DOWN} (the framed protocol's BYE 9),
   * then every output; nothing can attach afterwards.
   */
  public void close() {
    closed = true;
    stallSweep.cancel(false);
    for (Camera c : cameras.values()) {
      c.detachSource(DetachReason.SHUTTING_DOWN, "relay shutting down");
    }
    for (Camera c : cameras.values()) {
      for (AttachedOutput o : c.outputs()) {
        o.detach(DetachReason.SHUTTING_DOWN, "relay shutting down");
      }
    }
    fanOut.close();
  }

  /** Every output of every camera (for tests and metrics). */
  public List<OutputHandle> outputs() {
    List<OutputHandle> all = new ArrayList<>();
    for (Camera c : cameras.values()) {
      for (AttachedOutput o : c.outputs()) {
        all.add(o);
      }
    }
    return all;
  }

  /** One {@link #attachOutputs} registration: the outputs its factory made, one per camera. */
  private final class RelayWideOutputs implements AutoCloseable {
    private final OutputFactory factory;
    /** The output made for each camera (cameras compare by identity). */
    private final Map<Camera, AttachedOutput> made = new ConcurrentHashMap<>();
    private volatile boolean closed;

    RelayWideOutputs(OutputFactory factory) {
      this.factory = factory;
    }

    /** Whether these outputs serve a camera whose source is {@code info}: local ones, remote ones if asked for. */
    boolean serves(SourceInfo info) {
      return info == null || info.node() == null || factory.remoteCameras();
    }

    // Under the structure lock.
    void attachTo(Camera c) {
      if (closed || made.containsKey(c)) {
        return;
      }
      CameraOutput output;
      try {
        output = factory.create(c.id());
      } catch (RuntimeException e) {
        log.warn("camera '{}': output factory {} failed: {}", c.id(), factory, e.toString());
        return;
      }
      if (output != null) {
        AttachedOutput attached = c.addOutput(output, false);
        if (attached != null) {
          made.put(c, attached);
        }
      }
    }

    // Under the structure lock.
    void leave(Camera c, String node) {
      AttachedOutput o = made.remove(c);
      if (o != null) {
        o.detach(DetachReason.MOVED, "the camera is now connected to relay node " + node);
      }
    }

    @Override
    public void close() {
      closed = true;
      relayWide.remove(this);
      made.values().forEach(AttachedOutput::close);
      made.clear();
    }
  }
}
