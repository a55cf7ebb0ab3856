package dev.camrelay.cluster.internal;

import dev.camrelay.relay.CameraHub;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The node's cluster meters ({@code camrelay_cluster_*} at {@code /metrics}), tagged with the node's name; read from
 * the bus's and the node's counters when scraped. Removed when the node leaves.
 */
final class ClusterMeters {
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  ClusterMeters(MeterRegistry registry, String node, Node n) {
    this.registry = registry;
    Tags tags = Tags.of("node", node);
    counter("camrelay.cluster.bus.received", "bytes", "Bytes this node received from NATS.", tags, n,
        x -> x.bus().inBytes());
    counter("camrelay.cluster.bus.sent", "bytes", "Bytes this node sent to NATS.", tags, n, x -> x.bus().outBytes());
    counter("camrelay.cluster.slow.consumer.drops", null,
        "Frames from other nodes dropped because this node read them too slowly.", tags, n, Node::slowConsumerDrops);
    counter("camrelay.cluster.oversize.refusals", null,
        "Frames not sent to other nodes because they exceed the NATS server's max payload.", tags, n,
        x -> x.exports().oversizeRefusals());
    gauge("camrelay.cluster.remote.viewers", "Viewers on this node of cameras connected to other nodes.", tags, n,
        Node::remoteViewers);
    gauge("camrelay.cluster.demand.subscriptions",
        "Cameras of other nodes whose frames this node subscribes to now (it has viewers for them).", tags, n,
        x -> x.presence().streaming());
    gauge("camrelay.cluster.exported.cameras",
        "Cameras of this node whose frames go on the bus now (another node has viewers for them).", tags, n,
        x -> x.exports().exporting());
    gauge("camrelay.cluster.nodes", "Other nodes heard from within the node timeout.", tags, n,
        x -> x.presence().nodes());
  }

  /** What the meters read. */
  interface Node {
    Bus bus();

    Exports exports();

    Presence presence();

    CameraHub hub();

    long slowConsumerDrops();

    default double remoteViewers() {
      return hub().cameras().stream().filter(c -> c.node() != null).mapToInt(c -> c.viewers()).sum();
    }
  }

  void remove() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private void counter(String name, String unit, String help, Tags tags, Node n, ToDoubleFunction<Node> f) {
    meters.add(FunctionCounter.builder(name, n, f).baseUnit(unit).description(help).tags(tags).register(registry));
  }

  private void gauge(String name, String help, Tags tags, Node n, ToDoubleFunction<Node> f) {
    meters.add(Gauge.builder(name, n, f).description(help).tags(tags).register(registry));
  }
}
