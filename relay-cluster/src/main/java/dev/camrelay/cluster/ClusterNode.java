package dev.camrelay.cluster;

import dev.camrelay.cluster.internal.NodeRuntime;
import dev.camrelay.relay.CameraRelay;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This relay's membership in a cluster of relay nodes joined through NATS. While joined, every camera attached on
 * any node of the cluster can be watched on every node, on every output; see the README's "Running more than one
 * relay".
 *
 * <p>How: each node announces its cameras on NATS; another node's camera appears in this relay as a source of kind
 * {@code cluster} ({@code /api/cameras} names its {@code node}). Its frames cross the bus only while this node has
 * viewers for it, once per interested node (never per viewer). Control commands go to the camera's node and back.
 * A camera id connected to two nodes keeps the later connection. Limits: a node silent for
 * {@link ClusterOptions#nodeTimeout()} is taken as gone (its cameras go offline elsewhere; so do every remote camera
 * here when NATS stays away that long); frames above the NATS server's {@code max_payload} (1 MB by default) are not
 * sent to other nodes (counted, logged); which of two connections of one id is later is decided by the nodes'
 * clocks, so keep them in sync (NTP).
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  private final NodeRuntime runtime;

  private ClusterNode(NodeRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Joins {@code relay} to the cluster. Returns once connected to a NATS server; afterwards lost connections are
   * re-established in the background.
   *
   * @throws IOException if no server in {@code options} could be reached, or they refused the credentials
   */
  public static ClusterNode join(CameraRelay relay, ClusterOptions options) throws IOException {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(options, "options");
    if (!options.nodeName().equals(relay.nodeName())) {
      log.warn("cluster: node name '{}' differs from the relay's node name '{}': /api/cameras here shows '{}' for"
          + " this relay's cameras, other nodes show '{}'; set both to the same name", options.nodeName(),
          relay.nodeName(), relay.nodeName(), options.nodeName());
    }
    return new ClusterNode(NodeRuntime.start(relay, relay.meterRegistry(), options));
  }

  /** This node's name. */
  public String nodeName() {
    return runtime.node();
  }

  /** Whether the node is connected to a NATS server now. */
  public boolean connected() {
    return runtime.bus().connected();
  }

  /** The URL of the NATS server this node is connected to now, null while disconnected. */
  public String server() {
    return runtime.server();
  }

  /** Leaves the cluster: other nodes see this node's cameras go offline at once; remote cameras detach here. */
  @Override
  public void close() {
    runtime.close();
  }
}
