package dev.camrelay.relay.internal.source.tcp;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw JPEG connections into one camera source per camera id, so a camera that opens a new connection per
 * frame (the ESP32 hobby sketch) is one connected camera, not a connect/disconnect per frame.
 *
 * <ul>
 *   <li>The source attaches at the first complete frame (a connection that never completes one creates nothing).</li>
 *   <li>Its ingest kind is {@code raw-tcp} while a connection delivers several frames, {@code raw-tcp-per-frame}
 *       once connections are seen ending after one frame.</li>
 *   <li>A new connection's first frame replaces the other raw connections of that id (they are closed once not
 *       mid-frame).</li>
 *   <li>It detaches when a multi-frame connection closes with no other open, or, for per-frame cameras, when no
 *       new frame arrived within the camera idle timeout.</li>
 * </ul>
 */
public final class RawSources {
  private static final Logger log = LoggerFactory.getLogger(RawSources.class);

  private final CameraHub hub;
  private final RelayConfig config;
  private final ScheduledExecutorService timer;
  private final Map<String, RawSource> sources = new HashMap<>();
  /** Frames dropped before a camera id's source attached; counted on the camera once it does. */
  private final Map<String, Integer> dropsBeforeAttach = new HashMap<>();

  public RawSources(CameraHub hub, RelayConfig config, ScheduledExecutorService timer) {
    this.hub = hub;
    this.config = config;
    this.timer = timer;
  }

  void frame(String cameraId, RawJpegHandler handler, Channel channel, JpegFrame frame) {
    RawSource src;
    boolean attach = false;
    Map<RawJpegHandler, Channel> others = Map.of();
    synchronized (this) {
      src = sources.get(cameraId);
      if (src == null || src.closed) {
        src = new RawSource(cameraId, handler.remote());
        sources.put(cameraId, src);
        attach = true;
      }
      if (!src.connections.containsKey(handler)) {
        if (!src.connections.isEmpty()) {
          others = new LinkedHashMap<>(src.connections);
        }
        src.connections.clear();
        src.connections.put(handler, channel);
        src.remote = handler.remote();
      }
      if (handler.frames() >= 2) {
        src.ingest = "raw-tcp";
      }
      src.lastFrameNanos = System.nanoTime();
    }
    for (Map.Entry<RawJpegHandler, Channel> e : others.entrySet()) {
      RawJpegHandler old = e.getKey();
      e.getValue().eventLoop().execute(old::replace);
      if (old.frames() > 1) {
        log.info("camera '{}': raw connection from {} replaced by {}", cameraId, old.remote(), handler.remote());
      }
    }
    if (attach) {
      src.handle = hub.attachSource(cameraId, src.info(), src);
      Integer drops;
      synchronized (this) {
        drops = dropsBeforeAttach.remove(cameraId);
      }
      for (int i = drops == null ? 0 : drops; i > 0; i--) {
        src.handle.frameDropped();
      }
    } else {
      src.describe();
    }
    src.handle.publish(frame);
  }

  void dropped(String cameraId) {
    SourceHandle handle;
    synchronized (this) {
      RawSource src = sources.get(cameraId);
      handle = src == null || src.closed ? null : src.handle;
      if (handle == null) {
        dropsBeforeAttach.merge(cameraId, 1, (a, b) -> Math.min(a + b, 1_000_000));
        return;
      }
    }
    handle.frameDropped();
  }

  void closed(String cameraId, RawJpegHandler handler, Channel channel) {
    RawSource src;
    boolean detachNow = false;
    synchronized (this) {
      src = sources.get(cameraId);
      if (src == null || src.connections.remove(handler) == null) {
        return;
      }
      if (handler.frames() == 1) {
        src.ingest = "raw-tcp-per-frame";
      }
      if (src.connections.isEmpty()) {
        if (handler.frames() > 1) {
          detachNow = true;
          src.closed = true;
          sources.remove(cameraId, src);
        }
      }
    }
    if (detachNow) {
      src.handle.detach("connection closed");
      return;
    }
    src.describe();
    scheduleExpiry(cameraId, src, config.cameraIdleTimeout().toNanos());
  }

  /**
   * One idle check per source at a time, not one per closed connection: a camera opening a connection per frame
   * would otherwise wake the timer thread every frame. The check re-arms itself while frames keep coming.
   */
  private void scheduleExpiry(String cameraId, RawSource src, long delayNanos) {
    synchronized (this) {
      if (src.expiryScheduled) {
        return;
      }
      src.expiryScheduled = true;
    }
    timer.schedule(() -> expireIfIdle(cameraId, src), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void expireIfIdle(String cameraId, RawSource src) {
    long idleNanos = config.cameraIdleTimeout().toNanos();
    long remaining;
    synchronized (this) {
      src.expiryScheduled = false;
      if (src.closed || !src.connections.isEmpty()) {
        return; // a connection is open: its close schedules the next check
      }
      remaining = src.lastFrameNanos + idleNanos - System.nanoTime();
      if (remaining <= 0) {
        src.closed = true;
        sources.remove(cameraId, src);
      }
    }
    if (remaining > 0) {
      scheduleExpiry(cameraId, src, remaining);
      return;
    }
    src.handle.detach("no new frame for " + config.cameraIdleTimeout().toMillis() + " ms");
  }

  /** One camera id's raw source, spanning connections. */
  private final class RawSource implements CameraSource {
    final String cameraId;
    final Map<RawJpegHandler, Channel> connections = new LinkedHashMap<>();
    volatile SourceHandle handle;
    volatile String remote;
    volatile String ingest = "raw-tcp";
    volatile long lastFrameNanos;
    boolean closed;
    /** An idle check is pending on the timer (under RawSources' lock). */
    boolean expiryScheduled;

    RawSource(String cameraId, String remote) {
      this.cameraId = cameraId;
      this.remote = remote;
    }

    SourceInfo info() {
      return SourceInfo.of(ingest, remote);
    }

    /** Tells the hub what the source looks like now: per-frame once seen so, and the latest connection's address. */
    void describe() {
      SourceHandle h = handle;
      if (h != null) {
        h.update(info());
      }
    }

    @Override
    public void onDetached(DetachReason reason, String message) {
      Map<RawJpegHandler, Channel> open;
      synchronized (RawSources.this) {
        closed = true;
        sources.remove(cameraId, this);
        open = new LinkedHashMap<>(connections);
        connections.clear();
      }
      open.values().forEach(Channel::close);
    }

    @Override
    public String toString() {
      return ingest + " " + remote;
    }
  }
}
