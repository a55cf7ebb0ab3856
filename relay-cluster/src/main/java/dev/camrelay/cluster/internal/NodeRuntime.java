package dev.camrelay.cluster.internal;

import com.google.gson.JsonParseException;
import dev.camrelay.cluster.ClusterOptions;
import dev.camrelay.relay.CameraHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's part in the cluster, wired: the bus, presence, the remote cameras it brings into the hub, the exports
 * of its own cameras and the responder for requests. State changes run on one thread ("camrelay-cluster"), so the
 * parts need no locks among themselves; jnats threads only parse messages and hand them over.
 */
public final class NodeRuntime implements ClusterMeters.Node, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);
  /** How long a node waits for another node's answer to a latest-frame or control request. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(6);

  private final CameraHub hub;
  private final String node;
  private final Bus bus;
  private final ScheduledExecutorService clusterThread;
  private final Exports exports;
  private final Presence presence;
  private final AtomicLong closedDrops = new AtomicLong();
  private final AutoCloseable cameraEvents;
  private final Dispatcher control;
  private final ClusterMeters meters;
  private final EveryMinute badLog = new EveryMinute();
  private final AtomicBoolean closed = new AtomicBoolean();

  private NodeRuntime(CameraHub hub, MeterRegistry registry, ClusterOptions options, String node, Bus bus)
      throws IOException {
    this.hub = hub;
    this.node = node;
    this.bus = bus;
    this.clusterThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "camrelay-cluster");
      t.setDaemon(true);
      return t;
    });
    Subjects subjects = new Subjects(options.clusterName());
    LocalCameras locals = new LocalCameras();
    long timeoutNanos = options.nodeTimeout().toNanos();
    Duration tick = Duration.ofMillis(Math.max(100, options.nodeTimeout().toMillis() / 5));
    this.exports = new Exports(hub, bus, subjects, locals, timeoutNanos, clusterThread);
    RemoteCamera.Context context = new RemoteCamera.Context(hub, bus, subjects, node, clusterThread, tick,
        REQUEST_TIMEOUT, closedDrops::addAndGet, new EveryMinute());
    this.presence = new Presence(hub, bus, subjects, node, UUID.randomUUID().toString(), locals, exports,
        clusterThread, context, timeoutNanos);
    Responder responder = new Responder(hub, bus, locals, exports, node);

    control = bus.connection().createDispatcher();
    control.subscribe(subjects.presence(), presence::onMessage);
    control.subscribe(subjects.demand(node), this::onDemand);
    responder.subscribe(control, subjects);
    try {
      bus.connection().flush(Duration.ofSeconds(5)); // subscribed before saying hello: no answer is missed
    } catch (TimeoutException | InterruptedException e) {
      throw new IOException("NATS did not confirm the subscriptions: " + e, e);
    }
    cameraEvents = hub.onCameraEvent(presence);
    bus.onReconnected(() -> clusterThread.execute(presence::hello));
    clusterThread.execute(presence::join);
    clusterThread.scheduleAtFixedRate(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    this.meters = new ClusterMeters(registry, node, this);
  }

  /** Joins: connects to NATS, says hello, brings the other nodes' cameras into {@code hub}. */
  public static NodeRuntime start(CameraHub hub, MeterRegistry registry, ClusterOptions options) throws IOException {
    String node = options.nodeName();
    Bus bus = Bus.connect(options, "camrelay node " + node);
    try {
      NodeRuntime n = new NodeRuntime(hub, registry, options, node, bus);
      log.info("cluster: node {} joined cluster '{}' through {}", node, options.clusterName(),
          bus.connection().getConnectedUrl());
      return n;
    } catch (IOException | RuntimeException e) {
      bus.close();
      throw e;
    }
  }

  public String node() {
    return node;
  }

  /** The NATS server this node is connected to, null while disconnected. */
  public String server() {
    return bus.connected() ? bus.connection().getConnectedUrl() : null;
  }

  @Override
  public Bus bus() {
    return bus;
  }

  @Override
  public Exports exports() {
    return exports;
  }

  @Override
  public Presence presence() {
    return presence;
  }

  @Override
  public CameraHub hub() {
    return hub;
  }

  @Override
  public long slowConsumerDrops() {
    return closedDrops.get() + presence.openDrops();
  }

  private void tick() {
    try {
      presence.tick();
      exports.expire();
    } catch (RuntimeException e) {
      log.warn("cluster: heartbeat failed: {}", e.toString());
    }
  }

  private void onDemand(Message m) {
    Messages.Demand d;
    try {
      d = Messages.read(m.getData(), Messages.Demand.class);
    } catch (JsonParseException e) {
      if (badLog.due("demand")) {
        log.warn("cluster: unreadable demand message on the bus: {}", e.getMessage());
      }
      return;
    }
    if (d.camera() != null && d.node() != null) {
      clusterThread.execute(() -> exports.demand(d.camera(), d.node(), d.on()));
    }
  }

  /**
   * Says bye, detaches remote cameras, stops exports, closes the connection; returns within a few seconds.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    meters.remove();
    try {
      cameraEvents.close();
    } catch (Exception e) {
      // a closed relay has no listeners left anyway
    }
    try {
      clusterThread.submit(() -> {
        presence.leave();
        exports.stopAll();
      }).get(5, TimeUnit.SECONDS);
      bus.connection().flush(Duration.ofSeconds(2)); // the bye goes out before the connection closes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug("cluster: leaving uncleanly: {}", e.toString());
    }
    clusterThread.shutdownNow();
    bus.close();
    log.info("cluster: node {} left the cluster", node);
  }
}
