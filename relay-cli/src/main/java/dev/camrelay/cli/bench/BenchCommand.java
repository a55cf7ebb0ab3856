package dev.camrelay.cli.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.camrelay.cli.UserError;
import dev.camrelay.cli.client.WsViewerClient;
import dev.camrelay.cli.options.CameraFeedOptions;
import dev.camrelay.cli.options.RelayIngestAddress;
import dev.camrelay.cli.options.ViewerTokenOption;
import dev.camrelay.cli.simulate.SimulatedCamera;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code camrelay bench}: one simulated camera pushes tagged JPEGs to a relay's TCP port while N WebSocket viewers
 * receive them; reports rates, latency percentiles, drops, integrity and (with {@code --pid}) the relay's CPU and
 * memory. Works against any relay with the same TCP and WebSocket interfaces; frames are tagged exactly like
 * /work/shared/bench/bench.mjs (see {@link BenchTag}) and {@code --json} prints the same field names, so the two
 * harnesses are interchangeable.
 */
@Command(
    name = "bench",
    resourceBundle = "dev.camrelay.cli.bench.BenchCommand",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Load-tests a relay: a simulated camera pushes tagged JPEGs over TCP, N WebSocket viewers receive them."
          + " Reports frames per second in and out, per-viewer fps, latency p50/p90/p99/max, drops, corrupt or"
          + " untagged frames and, with --pid, the relay's CPU seconds (per GB delivered) and RSS.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  camrelay bench --mode stream --fps 30 --seconds 10 --viewers 200 --pid $(pgrep -f camrelay.jar)",
      "  camrelay bench --mode conn --fps 0 --viewers 50 --json     as fast as the relay takes frames",
      "  camrelay bench --viewers 100 --slow 10                     10 viewers stop reading",
      "  camrelay bench --tcp 127.0.0.1:3008 --ws ws://127.0.0.1:3009/ --frames ./frames",
      "  camrelay bench --rtsp rtsp://127.0.0.1:8554/default --viewers 100   RTSP viewers instead",
      "  camrelay bench --mode framed --camera-id cam --viewers 0 --probe ws://node-a:3009/cam/cam"
          + " --probe ws://node-b:3009/cam/cam     local vs remote viewer of a cluster"
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RelayIngestAddress tcp;

  @Option(names = "--ws", paramLabel = "URL", defaultValue = "ws://127.0.0.1:3009/",
      description = "The viewers' WebSocket URL (default: ${DEFAULT-VALUE}).")
  String ws;

  @Option(names = "--rtsp", paramLabel = "URL",
      description = "Viewers are RTSP clients of this URL (rtsp://host:8554/camera; RTP interleaved on the RTSP"
          + " connection) instead of WebSocket viewers. No slow viewers; latency by frame content.")
  URI rtsp;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "conn",
      description = "Camera mode: conn (one TCP connection per frame), stream (JPEGs back to back on one"
          + " connection) or framed (the framed protocol). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Mixin CameraFeedOptions camera;

  @Option(names = "--seconds", paramLabel = "N", defaultValue = "5",
      description = "How long the camera sends (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--viewers", paramLabel = "N", defaultValue = "10",
      description = "WebSocket viewers (default: ${DEFAULT-VALUE}).")
  int viewers;

  @Option(names = "--slow", paramLabel = "N", defaultValue = "0",
      description = "The first N viewers stop reading after they connect (or read at --throttle).")
  int slow;

  @Option(names = "--throttle", paramLabel = "KB/s", defaultValue = "0",
      description = "Slow viewers read at this rate instead of stopping.")
  double throttleKbps;

  @Option(names = "--slow-port", paramLabel = "PORT", defaultValue = "0",
      description = "Slow viewers bind local ports PORT, PORT+1, … and read normally (for shaping with tc).")
  int slowPort;

  @Option(names = "--camera-token", paramLabel = "TOKEN", description = "Camera token in framed mode.")
  String cameraToken;

  @Mixin ViewerTokenOption viewerToken;

  @Option(names = "--pid", paramLabel = "PID", description = "The relay's process id: report its CPU and RSS.")
  Long pid;

  @Option(names = "--probe", paramLabel = "URL",
      description = "One more viewer at this ws:// URL, reported on its own (not one of --viewers); repeatable."
          + " Probes share the camera's clock, so their latencies compare exactly (e.g. two relay nodes).")
  List<URI> probeUrls = new ArrayList<>();

  @Option(names = "--viewer-only",
      description = "No camera: only measure viewers (e.g. while another bench or a tagged camera sends).")
  boolean viewerOnly;

  @Option(names = "--threads", paramLabel = "N",
      description = "Viewer event-loop threads (default: up to 4, one per core).")
  Integer threads;

  @Option(names = "--json", description = "Print one JSON line (the field names of bench.mjs where they overlap).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    URI wsUri = validate();
    List<byte[]> source = viewerOnly ? List.of() : loadFrames();
    int threadCount = threads != null ? threads : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    if (!json) {
      out.printf("camrelay bench: %s, %s fps, %s s, %d viewers (%d slow) -> tcp %s, %s%n",
          viewerOnly ? "viewers only" : mode + " mode", camera.fps() == 0 ? "max" : fmt(camera.fps()), fmt(seconds),
          viewers, slow, tcp, rtsp != null ? rtsp : wsUri);
      out.flush();
    }
    RtspBenchViewers rtspViewers = null;
    if (rtsp != null) {
      try {
        rtspViewers = new RtspBenchViewers(rtsp, viewerToken.token(), source, threadCount);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
    RtspBenchViewers rtspOrNull = rtspViewers;
    List<ViewerStats> stats = new ArrayList<>();
    List<WsViewerClient.Viewer> open = new ArrayList<>();
    BenchProbes probes = new BenchProbes(probeUrls);
    ProcSampler proc = pid != null ? new ProcSampler(pid) : null;
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "camrelay-bench-sampler");
      t.setDaemon(true);
      return t;
    });
    double runStartMillis;
    long cameraSent = 0;
    long cameraBytes = 0;
    double elapsed;
    ProcSampler.Sample before;
    ProcSampler.Sample after;
    double[] peakRss = {Double.NaN};
    String cameraError = null;
    String firstViewerError;
    double connectSeconds;
    int connected;
    try (WsViewerClient client = new WsViewerClient(threadCount); AutoCloseable closeRtsp = closer(rtspViewers)) {
      long connectStart = System.nanoTime();
      if (rtspViewers != null) {
        String[] error = new String[1];
        for (int i = 0; i < viewers; i++) {
          stats.add(new ViewerStats(false));
        }
        connected = rtspViewers.open(stats, error);
        firstViewerError = error[0];
      } else {
        firstViewerError = openViewers(client, wsUri, stats, open);
        connected = open.size();
      }
      connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      if (viewers > 0 && connected == 0) {
        throw new UserError("no viewer could connect to " + (rtsp != null ? rtsp : wsUri) + ": " + firstViewerError);
      }
      probes.open(client, viewerToken.token());
      Thread.sleep(500);
      before = proc != null ? proc.sample() : null;
      if (before != null) {
        peakRss[0] = before.rssMb();
        sampler.scheduleAtFixedRate(() -> {
          ProcSampler.Sample s = proc.sample();
          if (s != null && !(s.rssMb() <= peakRss[0])) {
            peakRss[0] = s.rssMb();
          }
        }, 100, 100, TimeUnit.MILLISECONDS);
      }
      runStartMillis = BenchClock.nowMillis();
      for (ViewerStats v : stats) {
        v.notBefore = runStartMillis;
      }
      probes.countFrom(runStartMillis);
      long t0 = System.nanoTime();
      if (viewerOnly) {
        Thread.sleep((long) (seconds * 1000));
      } else {
        SimulatedCamera simulated = camera.applyTo(tcp.applyTo(SimulatedCamera.builder()))
            .token(cameraToken)
            .mode(cameraMode())
            .frameSource((n, w, h) -> {
              int index = (int) (n % source.size());
              double now = BenchClock.nowMillis();
              if (rtspOrNull != null) {
                rtspOrNull.sent(index, now);
              }
              return BenchTag.tag(source.get(index), n, now);
            })
            .firmware("camrelay-bench")
            .build();
        simulated.start();
        try {
          Thread.sleep((long) (seconds * 1000));
        } finally {
          simulated.close();
        }
        cameraSent = simulated.framesSent();
        cameraBytes = simulated.bytesSent();
        cameraError = simulated.lastError();
      }
      elapsed = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(1500); // let frames in flight arrive
      sampler.shutdownNow();
      after = proc != null ? proc.sample() : null;
      for (WsViewerClient.Viewer v : open) {
        v.close();
      }
      probes.close();
    } finally {
      sampler.shutdownNow();
    }
    BenchReport report = new BenchReport(viewerOnly ? "viewer-only" : mode, camera.fps(), seconds, viewers, slow,
        cameraSent, cameraBytes, elapsed, stats, connected, connectSeconds, before, after, peakRss[0]);
    if (json) {
      JsonObject o = report.toJson();
      o.addProperty("viewer_protocol", rtsp != null ? "rtsp" : "ws");
      o.add("probes", probes.toJson());
      out.println(new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o));
    } else {
      report.print(out, pid);
      probes.print(out);
      if (connected < viewers) {
        out.printf("  note        %d viewer(s) could not connect: %s%n", viewers - connected, firstViewerError);
      }
    }
    out.flush();
    if (!viewerOnly && cameraSent == 0) {
      throw new UserError("the camera sent no frames to " + tcp + (cameraError != null ? ": " + cameraError : ""));
    }
    return 0;
  }

  private URI validate() {
    if (!List.of("conn", "stream", "framed").contains(mode)) {
      throw new ParameterException(spec.commandLine(), "--mode must be conn, stream or framed, not '" + mode + "'");
    }
    if (viewers < 0 || slow < 0 || slow > viewers) {
      throw new ParameterException(spec.commandLine(), "--viewers must be >= 0 and --slow 0..viewers");
    }
    if (!(seconds > 0) || camera.fps() < 0) {
      throw new ParameterException(spec.commandLine(), "--seconds must be > 0 and --fps >= 0");
    }
    if (rtsp != null && (slow > 0 || viewerOnly || rtsp.getHost() == null
        || !"rtsp".equalsIgnoreCase(rtsp.getScheme()))) {
      throw new ParameterException(spec.commandLine(), "--rtsp needs an rtsp://host:port/camera URL, and takes no"
          + " --slow or --viewer-only");
    }
    if (slowPort < 0 || slowPort + slow > 65536) {
      throw new ParameterException(spec.commandLine(), "--slow-port: PORT..PORT+slow-1 must be valid ports");
    }
    probeUrls.forEach(probe -> checkWebSocketUrl("--probe", probe));
    try {
      return checkWebSocketUrl("--ws", new URI(ws));
    } catch (URISyntaxException e) {
      throw new ParameterException(spec.commandLine(), "--ws: bad URL: " + e.getMessage());
    }
  }

  private URI checkWebSocketUrl(String option, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
      throw new ParameterException(spec.commandLine(), option + " must be a ws:// or wss:// URL with a host: " + uri);
    }
    return uri;
  }

  private SimulatedCamera.Mode cameraMode() {
    return switch (mode) {
      case "stream" -> SimulatedCamera.Mode.RAW;
      case "framed" -> SimulatedCamera.Mode.FRAMED;
      default -> SimulatedCamera.Mode.RAW_PER_FRAME;
    };
  }

  private List<byte[]> loadFrames() {
    if (camera.frames() != null) {
      try {
        return SimulatedCamera.loadFrames(camera.frames());
      } catch (IOException e) {
        throw new UserError(e.getMessage());
      }
    }
    return SimulatedCamera.testPatternFrames(60, camera.size().width(), camera.size().height(), camera.quality());
  }

  /** Opens the viewers, at most 64 handshakes in flight; returns the first failure's message (or null). */
  private String openViewers(WsViewerClient client, URI uri, List<ViewerStats> stats,
                             List<WsViewerClient.Viewer> open) throws InterruptedException {
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<WsViewerClient.Viewer>> pending = new ArrayList<>();
    for (int i = 0; i < viewers; i++) {
      boolean isSlow = i < slow;
      ViewerStats v = new ViewerStats(isSlow);
      stats.add(v);
      WsViewerClient.Options o = WsViewerClient.Options.of(uri).withBearerToken(viewerToken.token())
          .withInsecureTls(true);
      if (isSlow && slowPort > 0) {
        o = o.withLocalAddress(new InetSocketAddress(slowPort + i));
      } else if (isSlow && throttleKbps > 0) {
        o = o.withReadLimit((long) (throttleKbps * 1024));
      }
      inFlight.acquire();
      CompletableFuture<WsViewerClient.Viewer> f = client.connect(o, v);
      f.whenComplete((viewer, error) -> inFlight.release());
      pending.add(f.thenApply(viewer -> {
        v.connected();
        if (isSlow && slowPort == 0 && throttleKbps == 0) {
          viewer.stopReading();
        }
        return viewer;
      }));
    }
    String firstError = null;
    for (CompletableFuture<WsViewerClient.Viewer> f : pending) {
      try {
        open.add(f.get(30, TimeUnit.SECONDS));
      } catch (ExecutionException | TimeoutException e) {
        if (firstError == null) {
          Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
          firstError = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
      }
    }
    return firstError;
  }

  /** Closes {@code rtspOrNull} (if any) with the try block that uses it. */
  private static AutoCloseable closer(RtspBenchViewers rtspOrNull) {
    return rtspOrNull == null ? () -> { } : rtspOrNull;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
