package dev.camrelay.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * In-process relays on loopback ephemeral ports, each joined to a cluster through {@link NatsServers}: relay
 * {@code i} is node {@code n<i>}, connected to the NATS servers' URLs starting at server {@code i % servers} (so in a
 * 3-server cluster each node prefers its own). Node timeout 2 s unless told.
 */
final class RelayNodes implements AutoCloseable {
  static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

  private final NatsServers nats;
  private final UnaryOperator<ClusterOptions.Builder> extra;
  private final List<CameraRelay> relays = new ArrayList<>();
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  RelayNodes(NatsServers nats, int count) throws IOException {
    this(nats, count, UnaryOperator.identity());
  }

  /** Nodes whose cluster options {@code extra} completes (TLS, credentials). */
  RelayNodes(NatsServers nats, int count, UnaryOperator<ClusterOptions.Builder> extra) throws IOException {
    this(nats, count, (i, relay) -> relay, extra);
  }

  /** Nodes whose relay {@code i} {@code relayExtra} completes (recording) and whose cluster options {@code extra}. */
  RelayNodes(NatsServers nats, int count, BiFunction<Integer, CameraRelay.Builder, CameraRelay.Builder> relayExtra,
      UnaryOperator<ClusterOptions.Builder> extra) throws IOException {
    this.nats = nats;
    this.extra = extra;
    try {
      for (int i = 0; i < count; i++) {
        CameraRelay relay = relayExtra.apply(i, CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0)
            .httpPort(0).nodeName("n" + i).onDemandLinger(Duration.ofMillis(200))).build();
        relay.start();
        relays.add(relay);
        nodes.add(join(i));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Joins relay {@code i} (again, after {@link #leave}). */
  ClusterNode join(int i) throws IOException {
    List<URI> urls = new ArrayList<>();
    for (int s = 0; s < nats.size(); s++) {
      urls.add(nats.url((i + s) % nats.size()));
    }
    ClusterOptions options = extra.apply(ClusterOptions.builder(urls).clusterName("test").nodeName("n" + i)
        .nodeTimeout(NODE_TIMEOUT)).build();
    ClusterNode node = ClusterNode.join(relays.get(i), options);
    if (i < nodes.size()) {
      nodes.set(i, node);
    }
    return node;
  }

  CameraRelay relay(int i) {
    return relays.get(i);
  }

  ClusterNode node(int i) {
    return nodes.get(i);
  }

  /** Camera {@code id} as relay {@code i}'s hub sees it. */
  Optional<CameraStats> camera(int i, String id) {
    return relays.get(i).camera(id);
  }

  boolean connected(int i, String id) {
    return camera(i, id).map(CameraStats::connected).orElse(false);
  }

  /** Whether relay {@code i} shows camera {@code id} connected and brought from node {@code node}. */
  boolean connectedFrom(int i, String id, String node) {
    return camera(i, id).map(c -> c.connected() && node.equals(c.node())).orElse(false);
  }

  String ws(int i, String cameraId) {
    return "ws://127.0.0.1:" + relays.get(i).wsPort() + "/cam/" + cameraId;
  }

  /**
   * Publishes {@code frame} as camera {@code id} on relay {@code cameraNode}, waits until relay {@code viewerNode}
   * shows it, and returns the first frame a WebSocket viewer there gets.
   */
  byte[] firstFrameWatchedOn(int viewerNode, int cameraNode, String id, byte[] frame) throws Exception {
    relays.get(cameraNode).publish(id, frame);
    Await.until("node " + viewerNode + " shows " + id, () -> connectedFrom(viewerNode, id, "n" + cameraNode));
    ViewerClient ws = ViewerClient.connect(ws(viewerNode, id));
    try {
      return ws.nextFrame();
    } finally {
      ws.closeBlocking();
    }
  }

  /** A GET on relay {@code i}'s HTTP port. */
  HttpResponse<byte[]> get(int i, String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + relays.get(i).httpPort() + path);
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Relay {@code i}'s {@code /api/cameras} entry for {@code id}, if listed. */
  Optional<JsonObject> listed(int i, String id) {
    try {
      JsonArray cameras = JsonParser.parseString(new String(get(i, "/api/cameras").body()))
          .getAsJsonObject().getAsJsonArray("cameras");
      for (JsonElement c : cameras) {
        if (c.getAsJsonObject().get("id").getAsString().equals(id)) {
          return Optional.of(c.getAsJsonObject());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Relay {@code i}'s value of cluster meter {@code name} (Prometheus name, tagged with its node), or -1. */
  double metric(int i, String name) {
    String prefix = name + "{node=\"n" + i + "\"}";
    try {
      for (String line : new String(get(i, "/metrics").body()).split("\n")) {
        if (line.startsWith(prefix)) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return -1;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (ClusterNode n : nodes) {
      n.close();
    }
    for (CameraRelay r : relays) {
      r.close();
    }
  }
}
