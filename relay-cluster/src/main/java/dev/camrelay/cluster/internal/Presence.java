package dev.camrelay.cluster.internal;

import com.google.gson.JsonParseException;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraListener;
import dev.camrelay.relay.CameraStats;
import io.nats.client.Message;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who has which camera. This node announces its own cameras on the presence subject (at once when one attaches or
 * detaches, and the full list as a heartbeat), says hello when it joins or reconnects (every node answers with its
 * full list) and bye when it leaves. From the other nodes' announcements it keeps one {@link RemoteCamera} per camera
 * of another node, attached to this node's hub as the camera's source.
 *
 * <p>Camera ids are unique cluster-wide: when two nodes announce the same id, the later connection wins (compared by
 * connection time, then node name, so every node decides alike); the node holding the older one locally detaches it
 * (the camera is told it was replaced by a connection on the other node). A node silent for the node timeout is
 * taken as gone: its cameras go offline here. Everything but message parsing runs on the cluster thread.
 */
final class Presence implements CameraListener {
  private static final Logger log = LoggerFactory.getLogger(Presence.class);
  static final String CLUSTER_KIND = "cluster";

  private final CameraHub hub;
  private final Bus bus;
  private final Subjects subjects;
  private final String node;
  private final String instance;
  private final LocalCameras locals;
  private final Exports exports;
  private final Executor clusterThread;
  private final RemoteCamera.Context remoteContext;
  private final long nodeTimeoutNanos;
  // Written on the cluster thread only; concurrent for the meters that read them.
  private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
  private final Map<String, String> instances = new HashMap<>();
  private final Map<String, RemoteCamera> remotes = new ConcurrentHashMap<>();
  private final EveryMinute warnings = new EveryMinute();
  private volatile boolean closed;

  Presence(CameraHub hub, Bus bus, Subjects subjects, String node, String instance, LocalCameras locals,
      Exports exports, Executor clusterThread, RemoteCamera.Context remoteContext, long nodeTimeoutNanos) {
    this.hub = hub;
    this.bus = bus;
    this.subjects = subjects;
    this.node = node;
    this.instance = instance;
    this.locals = locals;
    this.exports = exports;
    this.clusterThread = clusterThread;
    this.remoteContext = remoteContext;
    this.nodeTimeoutNanos = nodeTimeoutNanos;
  }

  /** Takes the cameras connected now as this node's own and says hello; cluster thread. */
  void join() {
    long now = nowMicros();
    for (CameraStats c : hub.cameras()) {
      if (c.connected() && !CLUSTER_KIND.equals(c.ingest())) {
        locals.put(new Messages.Camera(c.id(), now, c.control(), c.onDemand()));
      }
    }
    announce("hello", locals.all());
  }

  /** Sent again after a reconnect: other nodes may have given this one up meanwhile. */
  void hello() {
    announce("hello", locals.all());
  }

  /** The heartbeat, and giving up on silent nodes; cluster thread. */
  void tick() {
    announce("full", locals.all());
    long now = System.nanoTime();
    for (String other : lastHeard.keySet().toArray(String[]::new)) {
      if (now - lastHeard.get(other) > nodeTimeoutNanos) {
        nodeGone(other, "node " + other + " stopped answering");
      }
    }
  }

  /** Leaves: bye to the others, every remote camera detached here; cluster thread. */
  void leave() {
    closed = true;
    announce("bye", List.of());
    for (RemoteCamera r : List.copyOf(remotes.values())) {
      r.detach("this node left the cluster");
    }
    remotes.clear();
  }

  /** Remote cameras streaming to this node now. */
  int streaming() {
    return (int) remotes.values().stream().filter(RemoteCamera::streaming).count();
  }

  /** Frames jnats dropped on open frame subscriptions so far. */
  long openDrops() {
    return remotes.values().stream().mapToLong(RemoteCamera::droppedNow).sum();
  }

  /** Other nodes heard from within the node timeout. */
  int nodes() {
    return lastHeard.size();
  }

  // ---- this node's cameras (hub events, on a relay thread)

  @Override
  public void onConnected(CameraStats camera) {
    if (CLUSTER_KIND.equals(camera.ingest())) {
      return; // one of ours, brought from another node
    }
    Messages.Camera c = new Messages.Camera(camera.id(), nowMicros(), camera.control(), camera.onDemand());
    clusterThread.execute(() -> {
      locals.put(c);
      RemoteCamera r = remotes.remove(c.id()); // the hub detached it: a camera here takes the id
      if (r != null) {
        r.detach("camera connected to this node");
      }
      announce("attach", List.of(c));
    });
  }

  @Override
  public void onDisconnected(String cameraId, String reason) {
    if (reason.startsWith("replaced")) {
      return; // a new source took the id: its onConnected follows (a camera here re-announced, or ours from afar)
    }
    clusterThread.execute(() -> {
      if (locals.remove(cameraId) != null) {
        exports.stop(cameraId);
        announce("detach", List.of(new Messages.Camera(cameraId, 0, false, false)));
      }
    });
  }

  // ---- other nodes (a jnats thread parses, the cluster thread acts)

  void onMessage(Message m) {
    Messages.Presence p;
    try {
      p = Messages.read(m.getData(), Messages.Presence.class);
    } catch (JsonParseException e) {
      warn("unreadable", "cluster: unreadable presence message on the bus: " + e.getMessage());
      return;
    }
    if (p.node() == null || p.type() == null || instance.equals(p.instance())) {
      return;
    }
    clusterThread.execute(() -> heard(p));
  }

  private void heard(Messages.Presence p) {
    if (closed) {
      return;
    }
    String from = p.node();
    if (from.equals(node)) {
      warn("name " + from, "cluster: another node calls itself '" + from + "' too: give every node its own name");
      return;
    }
    List<Messages.Camera> cameras = p.cameras() == null ? List.of() : p.cameras();
    if (p.type().equals("bye")) {
      nodeGone(from, "node " + from + " left the cluster");
      return;
    }
    String previous = instances.put(from, p.instance());
    if (previous != null && !previous.equals(p.instance())) {
      nodeGone(from, "node " + from + " restarted"); // its cameras come back with the list below
      instances.put(from, p.instance());
    }
    if (!lastHeard.containsKey(from)) {
      log.info("cluster: node {} joined", from);
    }
    lastHeard.put(from, System.nanoTime());
    switch (p.type()) {
      case "hello" -> {
        announce("full", locals.all());
        full(from, cameras);
      }
      case "full" -> full(from, cameras);
      case "attach" -> cameras.forEach(c -> offer(from, c));
      case "detach" -> cameras.forEach(c -> gone(from, c.id(), "camera left node " + from));
      default -> { }
    }
  }

  private void full(String from, List<Messages.Camera> cameras) {
    Set<String> listed = new HashSet<>();
    for (Messages.Camera c : cameras) {
      listed.add(c.id());
      offer(from, c);
    }
    for (RemoteCamera r : List.copyOf(remotes.values())) {
      if (r.origin.equals(from) && !listed.contains(r.cameraId)) {
        gone(from, r.cameraId, "camera left node " + from);
      }
    }
  }

  /** Node {@code from} has camera {@code c}: attach it here unless a later connection of the id exists. */
  private void offer(String from, Messages.Camera c) {
    if (c.id() == null) {
      return;
    }
    Messages.Camera mine = locals.get(c.id());
    if (mine != null) {
      if (!later(c, from, mine, node)) {
        return; // ours is the later one: node `from` gives way when it hears our list
      }
      locals.remove(c.id());
      exports.stop(c.id());
      announce("detach", List.of(mine));
      log.info("cluster: camera '{}' connected to node {} later than here: this node's connection is replaced",
          c.id(), from);
    } else {
      RemoteCamera r = remotes.get(c.id());
      if (r != null) {
        if (r.origin.equals(from)) {
          r.announced = c;
          return;
        }
        if (!later(c, from, r.announced, r.origin)) {
          return;
        }
      }
    }
    RemoteCamera fresh = new RemoteCamera(c, from, remoteContext, this::forget);
    remotes.put(c.id(), fresh);
    try {
      fresh.attach(); // replaces a local or older remote source (REPLACED, "... from node <from>")
    } catch (RuntimeException e) {
      remotes.remove(c.id(), fresh);
      warn("attach " + c.id(), "cluster: camera '" + c.id() + "' of node " + from + " not shown here: "
          + e.getMessage());
    }
  }

  private void gone(String from, String cameraId, String reason) {
    RemoteCamera r = remotes.get(cameraId);
    if (r != null && r.origin.equals(from)) {
      remotes.remove(cameraId);
      r.detach(reason);
    }
  }

  private void nodeGone(String other, String reason) {
    if (lastHeard.remove(other) != null) {
      log.info("cluster: {}", reason);
    }
    instances.remove(other);
    for (RemoteCamera r : List.copyOf(remotes.values())) {
      if (r.origin.equals(other)) {
        gone(other, r.cameraId, reason);
      }
    }
    exports.dropNode(other);
  }

  /** A remote camera's source was detached by the hub (replaced, relay closing); cluster thread. */
  private void forget(RemoteCamera r) {
    remotes.remove(r.cameraId, r);
  }

  private void announce(String type, List<Messages.Camera> cameras) {
    bus.publish(subjects.presence(), Messages.write(new Messages.Presence(type, node, instance, cameras)));
  }

  /** Whether connection {@code a} on node {@code aNode} is later than {@code b} on {@code bNode}: ties by name. */
  private static boolean later(Messages.Camera a, String aNode, Messages.Camera b, String bNode) {
    return a.since() != b.since() ? a.since() > b.since() : aNode.compareTo(bNode) > 0;
  }

  private void warn(String key, String line) {
    if (warnings.due(key)) {
      log.warn(line);
    }
  }

  private static long nowMicros() {
    return TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
  }
}
