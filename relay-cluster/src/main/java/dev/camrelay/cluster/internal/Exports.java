package dev.camrelay.cluster.internal;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputHandle;
import io.nats.client.impl.Headers;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin side of frames: while at least one other node's demand for a local camera is live, one output on that
 * camera publishes each frame once on the camera's frame subject (NATS fans it out to the interested nodes). Demand
 * expires unless refreshed; the last demand going (or expiring) detaches the output, which lets an on-demand camera
 * stop after the relay's linger. The output takes frames newest-wins like any viewer (the hub's contract), so a
 * slow bus never delays the camera. Frames above the server's max payload are refused, counted and logged once per
 * camera per minute.
 *
 * <p>Demand changes run on the cluster thread; {@link #onFrame} runs on relay threads.
 */
final class Exports {
  private static final Logger log = LoggerFactory.getLogger(Exports.class);

  private final CameraHub hub;
  private final Bus bus;
  private final Subjects subjects;
  private final LocalCameras locals;
  private final long demandTtlNanos;
  private final Executor clusterThread;
  private final Map<String, Export> exports = new HashMap<>();
  private final AtomicLong oversize = new AtomicLong();
  private final EveryMinute oversizeLog = new EveryMinute();
  private final EveryMinute failureLog = new EveryMinute();

  Exports(CameraHub hub, Bus bus, Subjects subjects, LocalCameras locals, long demandTtlNanos,
      Executor clusterThread) {
    this.clusterThread = clusterThread;
    this.hub = hub;
    this.bus = bus;
    this.subjects = subjects;
    this.locals = locals;
    this.demandTtlNanos = demandTtlNanos;
  }

  /** Node {@code node} wants ({@code on}) or no longer wants local camera {@code cameraId}'s frames. */
  void demand(String cameraId, String node, boolean on) {
    Export e = exports.get(cameraId);
    if (!on) {
      if (e != null && e.demand.remove(node) != null && e.demand.isEmpty()) {
        stop(cameraId);
      }
      return;
    }
    if (!locals.contains(cameraId)) {
      return; // not (or no longer) here: the asker hears so from presence
    }
    if (e == null) {
      e = new Export(cameraId);
      try {
        e.handle = hub.attachOutput(cameraId, e);
      } catch (RuntimeException ex) {
        if (failureLog.due(cameraId)) {
          log.warn("cluster: camera '{}' cannot be sent to other nodes: {}", cameraId, ex.getMessage());
        }
        return;
      }
      exports.put(cameraId, e);
    }
    e.demand.put(node, System.nanoTime() + demandTtlNanos);
  }

  /** Drops demand not refreshed in time. */
  void expire() {
    long now = System.nanoTime();
    for (String id : exports.keySet().toArray(String[]::new)) {
      Export e = exports.get(id);
      e.demand.values().removeIf(deadline -> now - deadline > 0);
      if (e.demand.isEmpty()) {
        stop(id);
      }
    }
  }

  /** Forgets every demand of node {@code node} (it left or stopped answering). */
  void dropNode(String node) {
    for (String id : exports.keySet().toArray(String[]::new)) {
      demand(id, node, false);
    }
  }

  /** Stops sending camera {@code cameraId} (it left this node). */
  void stop(String cameraId) {
    Export e = exports.remove(cameraId);
    if (e != null && e.handle != null) {
      e.handle.close();
    }
  }

  void stopAll() {
    for (String id : exports.keySet().toArray(String[]::new)) {
      stop(id);
    }
  }

  /** Cameras being sent on the bus now. */
  int exporting() {
    return exports.size();
  }

  /** Frames refused for the bus as larger than the server's max payload. */
  long oversizeRefusals() {
    return oversize.get();
  }

  /**
   * Whether a frame of {@code bytes} (plus headers) fits the server's max payload; counts and logs (once per camera
   * per minute) when it does not.
   */
  boolean fits(String cameraId, int bytes, Headers headers) {
    long max = bus.maxPayload();
    long size = (long) bytes + headers.serializedLength();
    if (size <= max) {
      return true;
    }
    oversize.incrementAndGet();
    if (oversizeLog.due(cameraId)) {
      log.warn("cluster: camera '{}' sent a {}-byte frame, above the NATS server's max_payload of {} bytes: not sent"
          + " to other nodes (raise max_payload in the nats-server config)", cameraId, bytes, max);
    }
    return false;
  }

  /** One camera's output onto the bus, and which nodes want it until when (System.nanoTime deadlines). */
  private final class Export implements CameraOutput {
    final String cameraId;
    final String subject;
    final Map<String, Long> demand = new HashMap<>();
    volatile OutputHandle handle;

    Export(String cameraId) {
      this.cameraId = cameraId;
      this.subject = subjects.frames(cameraId);
    }

    @Override
    public void onAttached(OutputHandle h) {
      this.handle = h;
    }

    @Override
    public void onFrame(CameraFrame frame) {
      try {
        // Only frames of a camera connected here go out: never echo frames another node sent.
        if (locals.contains(cameraId)) {
          Headers headers = FrameCodec.headers(frame);
          if (fits(cameraId, frame.size(), headers)) {
            bus.publish(subject, headers, frame.jpeg().toByteArray());
          }
        }
      } finally {
        handle.ready(); // jnats queued (or dropped) it: ready for the next, newest-wins meanwhile
      }
    }

    @Override
    public void onDetached(DetachReason reason, String message) {
      // Stalled or relay closing: the next demand refresh attaches a new one.
      clusterThread.execute(() -> exports.remove(cameraId, this));
    }

    @Override
    public String kind() {
      return "cluster";
    }
  }
}
