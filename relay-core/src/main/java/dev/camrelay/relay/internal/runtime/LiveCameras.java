package dev.camrelay.relay.internal.runtime;

import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraRegistry;
import dev.camrelay.relay.CameraSpec;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.hub.Hub;
import dev.camrelay.relay.internal.source.pull.MjpegPuller;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's {@link CameraRegistry}: the desired state of configured cameras (from the builder, then the admin API
 * and config reloads) and what makes it so: one {@link MjpegPuller} per pull URL, the per-camera tokens in the
 * {@link Authenticator}, and detaching a pushing camera whose token no longer holds. Changes are serialized by one
 * lock; listeners are called after it is released.
 */
public final class LiveCameras implements CameraRegistry {
  private static final Logger log = LoggerFactory.getLogger(LiveCameras.class);
  /** Sources that presented a camera token (or could have): the ones a token change concerns. */
  private static final Set<String> PUSH_KINDS = Set.of("framed", "websocket", "raw-tcp", "raw-tcp-per-frame");

  private final RelayConfig config;
  private final Hub hub;
  private final Authenticator auth;
  private final Supplier<EventLoopGroup> group;
  private final Map<String, CameraSpec> specs = new LinkedHashMap<>();
  private final Map<String, MjpegPuller> pullers = new HashMap<>();
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private boolean started;
  private boolean closed;

  /** Starts from the config's pulls and per-camera tokens; pulls start with {@link #start()}. */
  public LiveCameras(RelayConfig config, Hub hub, Authenticator auth, Supplier<EventLoopGroup> group) {
    this.config = config;
    this.hub = hub;
    this.auth = auth;
    this.group = group;
    config.pulls().forEach((id, url) -> specs.put(id, CameraSpec.pull(url)));
    config.cameraTokens().forEach((id, token) -> specs.merge(id, CameraSpec.token(token),
        (pull, tok) -> new CameraSpec(pull.pullUrl(), tok.cameraToken())));
  }

  /** Starts the configured pulls. */
  public synchronized void start() {
    started = true;
    specs.forEach((id, spec) -> {
      if (spec.pullUrl() != null) {
        startPuller(id, spec.pullUrl());
      }
    });
  }

  /** Stops every pull (waiting briefly for each); nothing can be put afterwards. */
  public void close() {
    List<MjpegPuller> running;
    synchronized (this) {
      closed = true;
      running = new ArrayList<>(pullers.values());
      pullers.clear();
    }
    running.forEach(MjpegPuller::close);
  }

  @Override
  public boolean put(String cameraId, CameraSpec spec) {
    CameraId.check(cameraId);
    Objects.requireNonNull(spec, "spec");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the relay is closed");
      }
      CameraSpec old = specs.get(cameraId);
      if (spec.equals(old)) {
        return false;
      }
      specs.put(cameraId, spec);
      URI oldUrl = old == null ? null : old.pullUrl();
      if (!Objects.equals(oldUrl, spec.pullUrl())) {
        stopPuller(cameraId);
        if (spec.pullUrl() != null && started) {
          startPuller(cameraId, spec.pullUrl());
        }
      }
      String oldToken = old == null ? null : old.cameraToken();
      if (!Objects.equals(oldToken, spec.cameraToken())) {
        auth.cameraToken(cameraId, spec.cameraToken());
        revokePush(cameraId, "the camera token changed");
      }
      log.info("camera '{}': {} ({})", cameraId, old == null ? "added" : "changed", spec);
    }
    changed();
    return true;
  }

  @Override
  public boolean remove(String cameraId) {
    synchronized (this) {
      CameraSpec old = specs.remove(cameraId);
      if (old == null) {
        return false;
      }
      boolean wasPulled = stopPuller(cameraId);
      if (old.cameraToken() != null) {
        auth.cameraToken(cameraId, null);
        revokePush(cameraId, "the camera was removed from the relay's configuration");
      }
      if (wasPulled) {
        // Detach now rather than when the puller's loop gets to it, so the camera can leave the list at once.
        hub.detachSource(cameraId, info -> info.kind().equals("pull"), DetachReason.REVOKED, "pull stopped");
      }
      hub.forgetIfIdle(cameraId);
      log.info("camera '{}': removed", cameraId);
    }
    changed();
    return true;
  }

  @Override
  public synchronized Map<String, CameraSpec> specs() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(specs));
  }

  @Override
  public Optional<String> state(String cameraId) {
    Optional<CameraStats> stats = hub.camera(cameraId);
    MjpegPuller puller;
    synchronized (this) {
      puller = pullers.get(cameraId);
      if (stats.isEmpty() && !specs.containsKey(cameraId)) {
        return Optional.empty();
      }
    }
    return Optional.of(state(stats.orElse(null), puller));
  }

  private static String state(CameraStats stats, MjpegPuller puller) {
    if (stats != null && stats.connected()) {
      return stats.streaming() ? "live" : "idle (on demand)";
    }
    if (puller == null) {
      return "offline";
    }
    String failure = puller.failure();
    return failure == null ? "connecting" : "connecting: " + failure;
  }

  /**
   * Every camera the hub knows plus every configured camera it does not know yet (a pull still connecting), sorted by
   * id, each with its {@link #state}.
   */
  public List<Listed> listing() {
    Map<String, CameraStats> known = new LinkedHashMap<>();
    for (CameraStats c : hub.cameras()) {
      known.put(c.id(), c);
    }
    Map<String, CameraSpec> configured;
    Map<String, MjpegPuller> running;
    synchronized (this) {
      configured = new LinkedHashMap<>(specs);
      running = new HashMap<>(pullers);
    }
    configured.forEach((id, spec) -> known.computeIfAbsent(id, k -> notSeenYet(k, spec)));
    List<Listed> out = new ArrayList<>();
    known.values().stream().sorted(Comparator.comparing(CameraStats::id))
        .forEach(c -> out.add(new Listed(c, state(c, running.get(c.id())))));
    return out;
  }

  /** A camera and its state, as {@code /api/cameras} lists it. */
  public record Listed(CameraStats stats, String state) {}

  /** Whether camera {@code id} is worth waiting for before it first connects: it is configured. */
  public synchronized boolean configured(String id) {
    return specs.containsKey(id);
  }

  @Override
  public AutoCloseable onChange(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private static CameraStats notSeenYet(String id, CameraSpec spec) {
    return new CameraStats(id, false, spec.pullUrl() == null ? null : "pull", null,
        0, 0, false, 0, 0, 0, 0, 0, -1, false, false, false);
  }

  private void changed() {
    for (Runnable r : listeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("camera registry listener {} failed: {}", r, e.toString());
      }
    }
  }

  // Under the lock.
  private void startPuller(String id, URI url) {
    MjpegPuller puller = new MjpegPuller(hub, id, url, config, group.get());
    pullers.put(id, puller);
    puller.start();
  }

  // Under the lock.
  private boolean stopPuller(String id) {
    MjpegPuller puller = pullers.remove(id);
    if (puller != null) {
      puller.stop();
    }
    return puller != null;
  }

  // Under the lock.
  private void revokePush(String id, String why) {
    if (hub.detachSource(id, LiveCameras::pushed, DetachReason.REVOKED, why)) {
      log.info("camera '{}': disconnected, {}", id, why);
    }
  }

  private static boolean pushed(SourceInfo info) {
    return PUSH_KINDS.contains(info.kind());
  }
}
