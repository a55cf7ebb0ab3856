package dev.camrelay.cluster;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures (not a test: run with {@code -Dcamrelay.measure=true}) the latency from publishing a frame on node 0 to
 * WebSocket viewers receiving it: on node 0 (local) and on node 1 (remote, through NATS), in the same run, at 30 fps
 * of ~35 KB frames with 50 remote and 50 local viewers (properties {@code camrelay.measure.viewers},
 * {@code .local}, {@code .seconds}); and the bus bytes per frame per interested node.
 */
@EnabledIfSystemProperty(named = "camrelay.measure", matches = "true")
class RemoteViewerLatencyMeasurement {
  private static final int FPS = 30;
  private static final int SECONDS = Integer.getInteger("camrelay.measure.seconds", 20);
  private static final int REMOTE_VIEWERS = Integer.getInteger("camrelay.measure.viewers", 50);
  private static final int LOCAL_VIEWERS = Integer.getInteger("camrelay.measure.local", 50);

  @Test
  void measure() throws Exception {
    List<byte[]> frames = new ArrayList<>();
    Map<Integer, Integer> indexByHash = new HashMap<>();
    for (int i = 0; frames.size() < FPS; i++) {
      byte[] f = TestJpegs.bigFrame(i, 210, 170); // ~35 KB of noise
      if (indexByHash.putIfAbsent(Arrays.hashCode(f), frames.size()) == null) {
        frames.add(f);
      }
    }
    int meanSize = (int) frames.stream().mapToInt(f -> f.length).average().orElse(0);
    AtomicLongArray sentAt = new AtomicLongArray(frames.size());
    ConcurrentLinkedQueue<Long> local = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> remote = new ConcurrentLinkedQueue<>();
    try (NatsServers nats = NatsServers.single(); RelayNodes nodes = new RelayNodes(nats, 2)) {
      nodes.relay(0).publish("bench", frames.get(0));
      Await.until("node 1 shows bench", () -> nodes.connectedFrom(1, "bench", "n0"));
      List<Probe> probes = new ArrayList<>();
      for (int v = 0; v < LOCAL_VIEWERS; v++) {
        probes.add(new Probe(nodes.ws(0, "bench"), indexByHash, sentAt, local));
      }
      for (int v = 0; v < REMOTE_VIEWERS; v++) {
        probes.add(new Probe(nodes.ws(1, "bench"), indexByHash, sentAt, remote));
      }
      for (Probe p : probes) {
        p.connectBlocking(10, TimeUnit.SECONDS);
      }
      long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      long outBefore = 0;
      int published = 0;
      long period = TimeUnit.SECONDS.toNanos(1) / FPS;
      long next = System.nanoTime();
      long end = warmupEnd + TimeUnit.SECONDS.toNanos(SECONDS);
      boolean measuring = false;
      for (int k = 0; System.nanoTime() < end; k++) {
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        next += period;
        if (!measuring && System.nanoTime() > warmupEnd) {
          measuring = true;
          local.clear();
          remote.clear();
          outBefore = nats.outBytes(0);
          published = 0;
        }
        int i = k % frames.size();
        sentAt.set(i, System.nanoTime());
        nodes.relay(0).publish("bench", frames.get(i));
        published++;
      }
      Thread.sleep(500);
      long out = nats.outBytes(0) - outBefore;
      for (Probe p : probes) {
        p.closeBlocking();
      }
      System.out.printf("frames %d at %d fps, mean %d bytes; %d local and %d remote viewers%n", published, FPS,
          meanSize, LOCAL_VIEWERS, REMOTE_VIEWERS);
      System.out.printf("local  latency ms: %s%n", percentiles(local));
      System.out.printf("remote latency ms: %s%n", percentiles(remote));
      System.out.printf("bus bytes out per frame (one interested node): %d (frame %d)%n", out / published, meanSize);
    }
  }

  private static String percentiles(ConcurrentLinkedQueue<Long> nanos) {
    long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (v.length == 0) {
      return "no samples";
    }
    return String.format("n=%d p50=%.2f p90=%.2f p99=%.2f max=%.2f", v.length, v[v.length / 2] / 1e6,
        v[(int) (v.length * 0.9)] / 1e6, v[(int) (v.length * 0.99)] / 1e6, v[v.length - 1] / 1e6);
  }

  /** A WebSocket viewer that records, per frame, the time since the frame was published. */
  private static final class Probe extends WebSocketClient {
    private final Map<Integer, Integer> indexByHash;
    private final AtomicLongArray sentAt;
    private final ConcurrentLinkedQueue<Long> samples;

    Probe(String url, Map<Integer, Integer> indexByHash, AtomicLongArray sentAt, ConcurrentLinkedQueue<Long> samples) {
      super(URI.create(url));
      this.indexByHash = indexByHash;
      this.sentAt = sentAt;
      this.samples = samples;
      setConnectionLostTimeout(0);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
      long now = System.nanoTime();
      byte[] b = new byte[bytes.remaining()];
      bytes.get(b);
      Integer i = indexByHash.get(Arrays.hashCode(b));
      if (i != null) {
        samples.add(now - sentAt.get(i));
      }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {}

    @Override
    public void onClose(int code, String reason, boolean remote) {}

    @Override
    public void onError(Exception ex) {}
  }
}
