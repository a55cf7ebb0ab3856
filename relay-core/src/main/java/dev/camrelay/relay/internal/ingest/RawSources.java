package dev.camrelay.relay.internal.ingest;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.internal.RelayConfig;
import dev.camrelay.relay.internal.hub.Camera;
import dev.camrelay.relay.internal.hub.CameraHub;
import dev.camrelay.relay.internal.hub.OneWaySession;
import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
final class RawSources {
  private static final Logger log = LoggerFactory.getLogger(RawSources.class);

  private final CameraHub hub;
  private final RelayConfig config;
  private final Map<String, RawSource> sources = new HashMap<>();

  RawSources(CameraHub hub, RelayConfig config) {
    this.hub = hub;
    this.config = config;
  }

  void frame(String cameraId, RawJpegHandler handler, Channel channel, JpegFrame frame) {
    RawSource src;
    boolean attach = false;
    Map<RawJpegHandler, Channel> others = Map.of();
    synchronized (this) {
      src = sources.get(cameraId);
      if (src == null || src.closed) {
        src = new RawSource(hub.sourceCamera(cameraId), handler.remote());
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
      src.camera.connect(src);
    }
    src.camera.publish(src, frame);
  }

  void dropped(String cameraId) {
    hub.sourceCamera(cameraId).frameDropped();
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
      src.camera.disconnect(src, "connection closed");
      return;
    }
    RawSource s = src;
    long idleMs = config.cameraIdleTimeout().toMillis();
    hub.timer().schedule(() -> expireIfIdle(cameraId, s), idleMs, TimeUnit.MILLISECONDS);
  }

  private void expireIfIdle(String cameraId, RawSource src) {
    synchronized (this) {
      if (src.closed || !src.connections.isEmpty()
          || System.nanoTime() - src.lastFrameNanos < config.cameraIdleTimeout().toNanos()) {
        return;
      }
      src.closed = true;
      sources.remove(cameraId, src);
    }
    src.camera.disconnect(src, "no new frame for " + config.cameraIdleTimeout().toMillis() + " ms");
  }

  /** One camera id's raw source, spanning connections. */
  private final class RawSource extends OneWaySession {
    final Camera camera;
    final Map<RawJpegHandler, Channel> connections = new LinkedHashMap<>();
    volatile String remote;
    volatile String ingest = "raw-tcp";
    volatile long lastFrameNanos;
    boolean closed;

    RawSource(Camera camera, String remote) {
      this.camera = camera;
      this.remote = remote;
    }

    @Override
    public String ingest() {
      return ingest;
    }

    @Override
    public String remote() {
      return remote;
    }

    @Override
    public void close(int code, String reason) {
      Map<RawJpegHandler, Channel> open;
      synchronized (RawSources.this) {
        closed = true;
        sources.remove(camera.id(), this);
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
