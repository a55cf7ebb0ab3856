package dev.camrelay.cluster;

import dev.camrelay.relay.CameraRelay;
import java.io.IOException;

/**
 * This relay's membership in a cluster of relay nodes joined through NATS. While joined, every camera attached on
 * any node of the cluster can be watched on every node, on every output; see the README's "Running more than one
 * relay".
 *
 * <p>STUB: the API the CLI and tests code against; the implementation is being built.
 */
public final class ClusterNode implements AutoCloseable {
  private ClusterNode() {}

  /**
   * Joins {@code relay} to the cluster. Returns once connected to a NATS server; afterwards lost connections are
   * re-established in the background.
   *
   * @throws IOException if no server in {@code options} could be reached, or they refused the credentials
   */
  public static ClusterNode join(CameraRelay relay, ClusterOptions options) throws IOException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** This node's name. */
  public String nodeName() {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Whether the node is connected to a NATS server now. */
  public boolean connected() {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Leaves the cluster: other nodes see this node's cameras go offline at once; remote cameras detach here. */
  @Override
  public void close() {}
}
