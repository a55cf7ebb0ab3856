package dev.camrelay.bench;

import com.sun.management.ThreadMXBean;
import dev.camrelay.bench.jmh.JpegSplitterBenchmark;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the relay's fan-out costs in user space per viewer and frame, repeatably on a busy machine: a relay runs in
 * this JVM, N real WebSocket viewers on loopback read in a child JVM ({@link FanOutReaders}) as fast as they can, and
 * 800x600 camera-like JPEGs of ~40 KB are published in lock-step (the next one once every viewer has the last), so every frame goes to
 * every viewer and the count of viewer-frames is exact. After a warm-up it reports, per viewer-frame over the
 * measured frames: user and system CPU of the relay's process by thread group (from {@code /proc/self/task}, 10 ms
 * ticks, so run enough frames), bytes allocated by Java threads, and how long after publishing the first and the
 * last viewer had the whole frame (wall clock: only meaningful on a quiet machine).
 *
 * <pre>
 *   mvn -B -o -q -pl benchmarks -am package -DskipTests
 *   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar dev.camrelay.bench.FanOutCost \
 *       [--viewers 200] [--warmup 1000] [--frames 1000] [--fanout-threads N] [--pace-ms 0] [--rtsp]
 * </pre>
 *
 * <p>CPU time is noisy when other work shares the cores (cache misses, frequency); for a count that is not, run it
 * under callgrind, which counts only the measured frames' user-space instructions (the readers run natively):
 *
 * <pre>
 *   valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/fanout.cg \
 *       java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar \
 *       dev.camrelay.bench.FanOutCost --viewers 200 --warmup 2000 --frames 200 --callgrind
 *   callgrind_annotate /tmp/fanout.cg | head   # "PROGRAM TOTALS" Ir / (viewers × frames)
 * </pre>
 *
 * If valgrind reports {@code Collected : 0}, the JVM crashed under valgrind before the measured frames (it happens now
 * and then in C1-compiled code; an {@code hs_err_pid*.log} is left in the working directory): run it again.
 * Per-method counts: add {@code -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit} and look up the JIT addresses
 * callgrind reports in {@code /tmp/perf-<pid>.map}. To compare two versions by CPU time on a busy machine, build the
 * jar of each and alternate runs of the two.
 *
 * <p>{@code --pace-ms 33} is about 30 fps: between frames other work evicts the relay's per-viewer objects from the
 * caches, and user CPU per viewer-frame is several times the lock-step figure for the same instructions (measured on
 * a busy 2-core KVM guest: ~3.3 against ~0.7 µs), which is what a real 30 fps relay pays.
 *
 * <p>{@code --rtsp}: the viewers are RTSP clients with RTP interleaved on their connection
 * ({@link RtspFanOutReaders}) instead of WebSocket viewers, on the same frames, so the two paths compare per
 * viewer-frame.
 *
 * <p>Limits: the in-process publish skips the camera ingest path; the viewers are plain ({@code /cam/bench}, no
 * {@code camrelay.v1} text), all on one camera; lock-step means no viewer ever has a frame waiting (the common case
 * of viewers that keep up, not the newest-wins path).
 */
public final class FanOutCost {
  private static final String CAMERA = "bench";

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("readers")) {
      FanOutReaders.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int viewers = intArg(args, "--viewers", 200);
    int warmup = intArg(args, "--warmup", 1000);
    int frames = intArg(args, "--frames", 1000);
    int fanOutThreads = intArg(args, "--fanout-threads", -1);
    int paceMs = intArg(args, "--pace-ms", 0);
    boolean callgrind = Arrays.asList(args).contains("--callgrind");
    boolean rtsp = Arrays.asList(args).contains("--rtsp");

    byte[] jpeg = JpegSplitterBenchmark.cameraFrame(0); // 800x600, camera-like, ~40 KB
    CameraRelay.Builder b = CameraRelay.builder().bind("127.0.0.1").wsPort(0).tcpPort(-1).httpPort(-1)
        .maxConnections(viewers + 10).maxConnectionsPerIp(viewers + 10).handshakeTimeout(java.time.Duration.ofMinutes(5))
        .viewerStallTimeout(java.time.Duration.ofMinutes(5));
    if (rtsp) {
      b.wsPort(-1).rtspPort(0);
    }
    if (fanOutThreads >= 0) {
      b.fanOutThreads(fanOutThreads);
    }
    try (CameraRelay relay = b.build()) {
      relay.start();
      Process readers = new ProcessBuilder(javaCommand(), "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), (rtsp ? RtspFanOutReaders.class : FanOutReaders.class).getName(),
          Integer.toString(rtsp ? relay.rtspPort() : relay.wsPort()), Integer.toString(viewers),
          rtsp ? CAMERA : "/cam/" + CAMERA).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader rounds = new BufferedReader(new InputStreamReader(readers.getInputStream(),
          StandardCharsets.US_ASCII));
      expect(rounds.readLine(), "ready");
      waitForViewers(relay, viewers);

      JpegFrame[] published = new JpegFrame[warmup + frames];
      for (int i = 0; i < published.length; i++) {
        published[i] = JpegFrame.parse(jpeg); // a new frame object each time, as from a camera
      }
      long[] first = new long[frames];
      long[] last = new long[frames];
      Snapshot before = null;
      CallgrindControl instrOff = null;
      for (int i = 0; i < published.length; i++) {
        if (i == warmup / 2) {
          Snapshot.take(); // loads and runs the measuring code once, so the measured part does not count that
          if (callgrind) {
            new CallgrindControl("-i off").run();
          }
        }
        if (i == warmup) {
          System.gc();
          before = Snapshot.take();
          if (callgrind) {
            instrOff = new CallgrindControl("-i off");
            new CallgrindControl("-i on").run();
          }
        }
        long[] took = publishAndWait(relay, published[i], rounds);
        if (i >= warmup) {
          first[i - warmup] = took[0];
          last[i - warmup] = took[1];
        }
        if (paceMs > 0) {
          Thread.sleep(paceMs);
        }
      }
      if (instrOff != null) {
        instrOff.run();
      }
      Snapshot after = Snapshot.take();
      readers.destroy();
      report(viewers, frames, jpeg.length, before, after, first, last);
    }
  }

  /** Publishes one frame and waits until every viewer has it; returns when the first and the last had it. */
  private static long[] publishAndWait(CameraRelay relay, JpegFrame frame, BufferedReader rounds) throws IOException {
    long t0 = System.nanoTime();
    relay.publish(CAMERA, frame);
    String[] done = rounds.readLine().split(" ");
    return new long[] {Long.parseLong(done[0]) - t0, Long.parseLong(done[1]) - t0};
  }

  private static void report(int viewers, int frames, int jpegBytes, Snapshot before, Snapshot after, long[] first,
      long[] last) {
    double vf = (double) viewers * frames;
    double tickUs = 1e6 / 100; // USER_HZ
    System.out.printf(Locale.ROOT, "%d viewers x %d frames of %d bytes (lock-step), %d cores%n", viewers, frames,
        jpegBytes, Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-22s %14s %14s%n", "threads", "user us/vf", "sys us/vf");
    Map<String, long[]> groups = new TreeMap<>();
    long user = 0;
    long sys = 0;
    for (Map.Entry<Integer, long[]> e : after.ticks.entrySet()) {
      long[] b = before.ticks.getOrDefault(e.getKey(), new long[] {0, 0});
      long du = e.getValue()[0] - b[0];
      long ds = e.getValue()[1] - b[1];
      String group = after.names.get(e.getKey()).replaceAll("[-# ]?[0-9]+$", "");
      long[] g = groups.computeIfAbsent(group, k -> new long[2]);
      g[0] += du;
      g[1] += ds;
      user += du;
      sys += ds;
    }
    for (Map.Entry<String, long[]> g : groups.entrySet()) {
      if (g.getValue()[0] + g.getValue()[1] > 0) {
        System.out.printf(Locale.ROOT, "%-22s %14.2f %14.2f%n", g.getKey(), g.getValue()[0] * tickUs / vf,
            g.getValue()[1] * tickUs / vf);
      }
    }
    System.out.printf(Locale.ROOT, "%-22s %14.2f %14.2f%n", "total", user * tickUs / vf, sys * tickUs / vf);
    System.out.printf(Locale.ROOT, "allocated by Java threads: %.1f bytes per viewer-frame%n",
        (after.allocated - before.allocated) / vf);
    System.out.printf(Locale.ROOT, "relay CPU per GB (user+sys): %.3f s%n",
        (user + sys) / 100.0 / (vf * jpegBytes / 1e9));
    Arrays.sort(first);
    Arrays.sort(last);
    System.out.printf(Locale.ROOT, "publish -> first viewer has it: p50 %.2f ms, p99 %.2f ms (wall clock)%n",
        pct(first, 50), pct(first, 99));
    System.out.printf(Locale.ROOT, "publish -> last viewer has it:  p50 %.2f ms, p99 %.2f ms (wall clock)%n",
        pct(last, 50), pct(last, 99));
  }

  private static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }

  /** Per-thread CPU ticks of this process, and bytes allocated by its Java threads. */
  private static final class Snapshot {
    final Map<Integer, long[]> ticks = new TreeMap<>();
    final Map<Integer, String> names = new TreeMap<>();
    long allocated;

    static Snapshot take() throws IOException {
      Snapshot s = new Snapshot();
      try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path t : (Iterable<Path>) tasks::iterator) {
          String stat;
          try {
            stat = Files.readString(t.resolve("stat"));
          } catch (IOException e) {
            continue; // the thread ended
          }
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] f = stat.substring(close + 2).split(" ");
          int tid = Integer.parseInt(t.getFileName().toString());
          s.names.put(tid, stat.substring(open + 1, close));
          s.ticks.put(tid, new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])}); // utime, stime
        }
      }
      ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
        s.allocated += Math.max(0, b);
      }
      return s;
    }
  }

  private static void waitForViewers(CameraRelay relay, int viewers) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (relay.camera(CAMERA).map(CameraStats::viewers).orElse(0) < viewers) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("viewers did not attach: "
            + relay.camera(CAMERA).map(CameraStats::viewers).orElse(0) + " of " + viewers);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Runs {@code callgrind_control ARGS <this pid>} when {@link #run} is called: the process is started beforehand and
   * waits for a line on its input, so that starting a process (a lot of work in the JVM) is not counted.
   */
  private static final class CallgrindControl {
    private final Process shell;

    CallgrindControl(String args) throws IOException {
      shell = new ProcessBuilder("sh", "-c", "read go && exec callgrind_control " + args + " "
          + ProcessHandle.current().pid()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    }

    void run() throws IOException, InterruptedException {
      shell.getOutputStream().write('\n');
      shell.getOutputStream().flush();
      if (shell.waitFor() != 0) {
        throw new IllegalStateException("callgrind_control failed (not run under valgrind --tool=callgrind?)");
      }
    }
  }

  private static void expect(String line, String want) {
    if (!want.equals(line)) {
      throw new IllegalStateException("readers said " + line + ", expected " + want);
    }
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }

  private FanOutCost() {}
}
