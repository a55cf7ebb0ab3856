package dev.camrelay.relay.internal.hub;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.internal.RelayConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * All cameras of one relay, by id. Cameras are created on demand (by a connecting source or a viewer waiting for
 * one), up to {@link RelayConfig#maxCameras()}; a camera that never had a source is forgotten when its last viewer
 * leaves.
 */
public final class CameraHub {
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final RelayConfig config;
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<String, Camera> cameras = new ConcurrentHashMap<>();
  /** Serializes forgetting unused cameras against viewers and sources attaching to them. */
  final Object structure = new Object();
  private final CopyOnWriteArrayList<BiConsumer<Camera, JpegFrame>> taps = new CopyOnWriteArrayList<>();
  private volatile Events events = Events.NONE;
  private volatile boolean alwaysWanted;

  /** Receives camera connect/disconnect events (called on the thread that caused them; must not block). */
  public interface Events {
    Events NONE = new Events() {
      @Override
      public void connected(CameraStats stats) {}

      @Override
      public void disconnected(String cameraId, String reason) {}
    };

    void connected(CameraStats stats);

    void disconnected(String cameraId, String reason);
  }

  public CameraHub(RelayConfig config, ScheduledExecutorService timer) {
    this.config = config;
    this.timer = timer;
  }

  /** True for ids matching {@code [A-Za-z0-9._-]{1,64}}. */
  public static boolean validId(String id) {
    return id != null && VALID_ID.matcher(id).matches();
  }

  /**
   * Gets or creates the camera {@code id}.
   *
   * @throws IllegalArgumentException if the id is not valid
   * @throws IllegalStateException if the relay already has {@link RelayConfig#maxCameras()} cameras
   */
  public Camera camera(String id) {
    if (!validId(id)) {
      throw new IllegalArgumentException("invalid camera id (want 1..64 of [A-Za-z0-9._-])");
    }
    Camera existing = cameras.get(id);
    if (existing != null) {
      return existing;
    }
    if (cameras.size() >= config.maxCameras()) {
      throw new IllegalStateException("too many cameras (limit " + config.maxCameras() + ")");
    }
    return cameras.computeIfAbsent(id, k -> new Camera(k, this));
  }

  /**
   * Gets or creates the camera {@code id} for a source about to attach; such a camera is never forgotten.
   *
   * @throws IllegalArgumentException if the id is not valid
   * @throws IllegalStateException if the relay already has {@link RelayConfig#maxCameras()} cameras
   */
  public Camera sourceCamera(String id) {
    synchronized (structure) {
      Camera c = camera(id);
      c.sourced = true;
      return c;
    }
  }

  public Optional<Camera> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(cameras.get(id));
  }

  public Collection<Camera> cameras() {
    List<Camera> list = new ArrayList<>(cameras.values());
    list.sort(Comparator.comparing(Camera::id));
    return list;
  }

  public RelayConfig config() {
    return config;
  }

  public ScheduledExecutorService timer() {
    return timer;
  }

  public void setEvents(Events events) {
    this.events = events;
  }

  /** Adds a tap that sees every published frame on the publishing thread; it must never block. */
  public AutoCloseable addTap(BiConsumer<Camera, JpegFrame> tap) {
    taps.add(tap);
    return () -> taps.remove(tap);
  }

  /**
   * When true, on-demand cameras stream even with no viewers (an in-process frame listener wants every camera).
   */
  public void setAlwaysWanted(boolean wanted) {
    alwaysWanted = wanted;
    for (Camera c : cameras.values()) {
      c.updateDemand();
    }
  }

  boolean alwaysWanted() {
    return alwaysWanted;
  }

  void tap(Camera camera, JpegFrame frame) {
    for (BiConsumer<Camera, JpegFrame> t : taps) {
      t.accept(camera, frame);
    }
  }

  void fireConnected(Camera camera) {
    events.connected(camera.stats());
  }

  void fireDisconnected(String id, String reason) {
    events.disconnected(id, reason);
  }

  /** Forgets a camera that never had a frame or source and has no viewers (a viewer waited for it, then left). */
  void removeIfUnused(Camera camera) {
    synchronized (structure) {
      if (!camera.sourced && camera.viewerCount() == 0 && camera.latestFrame() == null) {
        camera.retired = true;
        cameras.remove(camera.id(), camera);
      }
    }
  }

  /** Closes every attached source with code 9 SHUTTING_DOWN. */
  public void closeAll() {
    for (Camera c : cameras.values()) {
      CameraSession s = c.session();
      if (s != null && c.disconnect(s, "relay shutting down")) {
        s.close(9, "relay shutting down");
      }
    }
  }
}
