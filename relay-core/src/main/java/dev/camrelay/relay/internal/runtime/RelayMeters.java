package dev.camrelay.relay.internal.runtime;

import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.internal.hub.Hub;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The relay's meters (Micrometer): every meter is registered in {@link #registry()}, a composite of the relay's own
 * Prometheus registry (served as {@code /metrics}, see {@link #scrape()}) and the embedder's registry, if one was
 * given. Meters read the relay's existing counters when read (function counters and gauges), so the frame path does
 * no extra work.
 *
 * <p>Per-camera meters (tag {@code camera}) follow the hub's cameras: {@link #syncCameras()} adds meters for new
 * cameras and removes those of cameras the hub has forgotten (it evicts offline cameras, so the tag's cardinality is
 * bounded). It runs before each scrape and on the relay's timer.
 */
public final class RelayMeters {
  private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final Hub hub;
  /** The viewer kinds counted per camera ({@link dev.camrelay.relay.CameraOutput#kind()}). */
  private static final List<String> VIEWER_KINDS = List.of("ws", "mjpeg", "rtsp");
  private final Map<String, List<Meter>> cameraMeters = new ConcurrentHashMap<>();

  /** Meters of {@code hub}, also registered in {@code embedderOrNull} when not null. */
  public RelayMeters(Hub hub, MeterRegistry embedderOrNull) {
    this.hub = hub;
    registry.add(prometheus);
    if (embedderOrNull != null) {
      registry.add(embedderOrNull);
    }
    Gauge.builder("camrelay.cameras", hub, h -> h.cameras().size())
        .description("Cameras known to the relay.").register(registry);
    Gauge.builder("camrelay.cameras.connected", hub, h -> h.cameras().stream().filter(CameraStats::connected).count())
        .description("Cameras with a source attached.").register(registry);
    Gauge.builder("camrelay.viewers", hub, h -> h.cameras().stream().mapToInt(CameraStats::viewers).sum())
        .description("Viewers of all cameras.").register(registry);
  }

  /** Where the relay's parts register their meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text format 0.0.4 of every meter, per-camera ones brought up to date first. */
  public String scrape() {
    syncCameras();
    return prometheus.scrape();
  }

  /** Adds meters for cameras the hub knows and removes those of cameras it has forgotten. */
  public synchronized void syncCameras() {
    Set<String> known = new HashSet<>();
    for (CameraStats c : hub.cameras()) {
      known.add(c.id());
      cameraMeters.computeIfAbsent(c.id(), this::registerCamera);
    }
    for (String id : new ArrayList<>(cameraMeters.keySet())) {
      if (!known.contains(id)) {
        for (Meter meter : cameraMeters.remove(id)) {
          registry.remove(meter);
        }
      }
    }
  }

  /**
   * Removes every meter of this relay, from the embedder's registry too (which stays open: it is the embedder's), so a
   * closed relay leaves no gauges behind that still read it.
   */
  public synchronized void close() {
    for (Meter meter : new ArrayList<>(registry.getMeters())) {
      registry.remove(meter);
    }
    cameraMeters.clear();
    prometheus.close();
  }

  private List<Meter> registerCamera(String id) {
    Tags tags = Tags.of("camera", id);
    List<Meter> meters = new ArrayList<>();
    meters.add(gauge("camrelay.camera.connected", "1 while a source is attached to the camera, else 0.", id, tags,
        c -> c.connected() ? 1 : 0));
    meters.add(FunctionCounter.builder("camrelay.camera.frames.in", this,
            m -> m.stat(id).map(c -> (double) c.framesIn()).orElse(0.0))
        .description("Complete JPEG frames received from the camera.").tags(tags).register(registry));
    meters.add(FunctionCounter.builder("camrelay.camera.frames.out", hub, h -> h.framesOut(id))
        .description("Frames handed to the camera's viewers, each viewer counted (frames a slow viewer skipped not).")
        .tags(tags).register(registry));
    meters.add(FunctionCounter.builder("camrelay.camera.bytes.in", hub, h -> h.bytesIn(id))
        .description("JPEG bytes of the complete frames received from the camera.").tags(tags).register(registry));
    meters.add(FunctionTimer.builder("camrelay.camera.control.round.trip", hub, h -> h.controlReplies(id),
            h -> h.controlReplyNanos(id), TimeUnit.NANOSECONDS)
        .description("Control requests the camera answered in time, and the time from sending each to its answer.")
        .tags(tags).register(registry));
    meters.add(FunctionCounter.builder("camrelay.camera.frames.dropped", this,
            m -> m.stat(id).map(c -> (double) c.framesDropped()).orElse(0.0))
        .description("Frames from the camera dropped as invalid, oversized or truncated.").tags(tags)
        .register(registry));
    meters.add(gauge("camrelay.camera.viewers", "Viewers watching the camera (WebSocket and MJPEG).", id, tags,
        CameraStats::viewers));
    for (String kind : VIEWER_KINDS) {
      meters.add(Gauge.builder("camrelay.camera.output.viewers", hub, h -> h.viewers(id, kind))
          .description("Viewers watching the camera, by output kind (ws, mjpeg, rtsp).").tags(tags.and("kind", kind))
          .register(registry));
    }
    meters.add(gauge("camrelay.camera.fps", "Frames per second received over the last two seconds.", id, tags,
        CameraStats::fps));
    meters.add(gauge("camrelay.camera.bitrate.kbps", "Kilobits per second received over the last two seconds.", id,
        tags, CameraStats::bitrateKbps));
    meters.add(gauge("camrelay.camera.last.frame.age.seconds",
        "Seconds since the camera's latest frame (NaN before the first frame).", id, tags,
        c -> c.lastFrameAgeMs() < 0 ? Double.NaN : c.lastFrameAgeMs() / 1000.0));
    return meters;
  }

  private Meter gauge(String name, String help, String id, Tags tags, ToDoubleFunction<CameraStats> value) {
    return Gauge.builder(name, this, m -> m.stat(id).map(value::applyAsDouble).orElse(Double.NaN))
        .description(help).tags(tags).register(registry);
  }

  private Optional<CameraStats> stat(String id) {
    return hub.camera(id);
  }
}
