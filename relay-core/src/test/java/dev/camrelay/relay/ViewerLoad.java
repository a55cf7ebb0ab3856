package dev.camrelay.relay;

import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A manual load run (not a unit test): N WebSocket viewers plus one that never reads, one camera publishing at a
 * fixed rate; prints delivered frame rate per viewer and publish-to-receive latency.
 *
 * <pre>java -cp ... dev.camrelay.relay.ViewerLoad [viewers=200] [fps=20] [seconds=10] [width=640] [height=480] [noise]</pre>
 */
public final class ViewerLoad {
  public static void main(String[] args) throws Exception {
    int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int fps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int width = args.length > 3 ? Integer.parseInt(args[3]) : 640;
    int height = args.length > 4 ? Integer.parseInt(args[4]) : 480;
    boolean noise = args.length > 5 && args[5].equals("noise");

    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(noise ? TestJpegs.bigFrame(i, width, height) : TestJpegs.frame(i, width, height));
    }
    long avgSize = frames.stream().mapToLong(f -> f.length).sum() / frames.size();
    Map<Integer, Long> sentAt = new ConcurrentHashMap<>();

    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
        .maxConnectionsPerIp(viewers + 10).build()) {
      relay.start();
      AtomicLong[] received = new AtomicLong[viewers];
      long[][] latencies = new long[viewers][];
      CountDownLatch open = new CountDownLatch(viewers);
      List<WebSocketClient> clients = new ArrayList<>();
      for (int v = 0; v < viewers; v++) {
        AtomicLong count = new AtomicLong();
        received[v] = count;
        long[] lat = new long[seconds * fps * 2 + 100];
        latencies[v] = lat;
        WebSocketClient c = new WebSocketClient(URI.create("ws://127.0.0.1:" + relay.wsPort() + "/cam/load")) {
          @Override
          public void onOpen(ServerHandshake h) {
            open.countDown();
          }

          @Override
          public void onMessage(String m) {}

          @Override
          public void onMessage(ByteBuffer b) {
            long now = System.nanoTime();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            Long t = sentAt.get(Arrays.hashCode(bytes));
            int n = (int) count.getAndIncrement();
            if (t != null && n < lat.length) {
              lat[n] = now - t;
            }
          }

          @Override
          public void onClose(int code, String reason, boolean remote) {}

          @Override
          public void onError(Exception ex) {}
        };
        c.setConnectionLostTimeout(0);
        c.connect();
        clients.add(c);
      }
      if (!open.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("viewers did not connect: " + open.getCount() + " missing");
      }
      RawWs stuck = RawWs.open(relay.wsPort(), "/cam/load", Map.of(), 4096);
      System.out.printf("%d viewers + 1 stuck connected; publishing %d fps of ~%d KB %dx%d for %d s%n",
          viewers, fps, avgSize / 1024, width, height, seconds);
      Runtime rt = Runtime.getRuntime();
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      long periodNanos = 1_000_000_000L / fps;
      int total = seconds * fps;
      for (int i = 0; i < total; i++) {
        long due = t0 + i * periodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        byte[] f = frames.get(i % frames.size());
        byte[] copy = f.clone();
        copy[copy.length - 3] = (byte) i; // distinct bytes per publish (inside entropy data before EOI)
        copy[copy.length - 4] = (byte) (i >> 8);
        sentAt.put(Arrays.hashCode(copy), System.nanoTime());
        relay.publish("load", copy);
      }
      Thread.sleep(1000);
      long elapsed = System.nanoTime() - t0;
      long cpu = cpuNanos() - cpu0;
      long min = Long.MAX_VALUE;
      long max = 0;
      long sum = 0;
      List<Long> all = new ArrayList<>();
      for (int v = 0; v < viewers; v++) {
        long n = received[v].get();
        min = Math.min(min, n);
        max = Math.max(max, n);
        sum += n;
        for (int k = 0; k < Math.min(n, latencies[v].length); k++) {
          if (latencies[v][k] > 0) {
            all.add(latencies[v][k]);
          }
        }
      }
      all.sort(Long::compare);
      System.out.printf("published %d frames; per viewer received min %d / avg %d / max %d%n",
          total, min, sum / viewers, max);
      System.out.printf("latency publish->viewer: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n",
          pct(all, 0.50), pct(all, 0.99), all.isEmpty() ? 0 : all.get(all.size() - 1) / 1e6, all.size());
      System.out.printf("process CPU %.1f s over %.1f s wall (relay and all clients in one JVM); heap used %d MB%n",
          cpu / 1e9, elapsed / 1e9, (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
      relay.wsServer().viewerStates().stream().filter(s -> s.remote().endsWith(":" + stuck.socket.getLocalPort()))
          .forEach(s -> System.out.println("stuck viewer: " + s));
      for (WebSocketClient c : clients) {
        c.closeBlocking();
      }
      stuck.close();
    }
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p)) / 1e6;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
