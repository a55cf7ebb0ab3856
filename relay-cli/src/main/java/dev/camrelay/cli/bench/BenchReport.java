package dev.camrelay.cli.bench;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The numbers of one bench run, as bench.mjs computes them, plus a few more; printed as text or one JSON line. */
final class BenchReport {
  final String mode;
  final double fps;
  final double seconds;
  final int viewers;
  final int slow;
  final long sent;
  final long bytesSent;
  final double elapsed;
  final int connected;
  final double connectSeconds;
  final long fastFrames;
  final int fastViewers;
  final long slowFrames;
  final int slowViewers;
  final long corrupt;
  final long untagged;
  final long stale;
  final long bytesDelivered;
  final float[] lat;
  final float[] slowLat;
  /** The latencies of the viewer connected last (last in the relay's fan-out order): the probe's view. */
  final float[] lastViewerLat;
  final double minViewerFps;
  final double maxViewerFps;
  final ProcSampler.Sample before;
  final ProcSampler.Sample after;
  final double peakRss;

  BenchReport(String mode, double fps, double seconds, int viewers, int slow, long sent, long bytesSent,
              double elapsed, List<ViewerStats> stats, int connected, double connectSeconds, ProcSampler.Sample before,
              ProcSampler.Sample after, double peakRss) {
    this.mode = mode;
    this.fps = fps;
    this.seconds = seconds;
    this.viewers = viewers;
    this.slow = slow;
    this.sent = sent;
    this.bytesSent = bytesSent;
    this.elapsed = elapsed;
    this.connected = connected;
    this.connectSeconds = connectSeconds;
    this.before = before;
    this.after = after;
    this.peakRss = peakRss;
    long ff = 0;
    long sf = 0;
    int fv = 0;
    int sv = 0;
    long c = 0;
    long u = 0;
    long st = 0;
    long b = 0;
    double min = Double.NaN;
    double max = Double.NaN;
    float[][] fastParts = new float[stats.size()][];
    float[][] slowParts = new float[stats.size()][];
    for (int i = 0; i < stats.size(); i++) {
      ViewerStats v = stats.get(i);
      c += v.corrupt();
      u += v.untagged();
      st += v.stale();
      b += v.bytes();
      if (!v.isConnected()) {
        continue;
      }
      if (v.slow) {
        sv++;
        sf += v.frames();
        slowParts[i] = v.latencies();
      } else {
        fv++;
        ff += v.frames();
        fastParts[i] = v.latencies();
        double vf = v.frames() / elapsed;
        min = Double.isNaN(min) ? vf : Math.min(min, vf);
        max = Double.isNaN(max) ? vf : Math.max(max, vf);
      }
    }
    this.fastFrames = ff;
    this.slowFrames = sf;
    this.fastViewers = fv;
    this.slowViewers = sv;
    this.corrupt = c;
    this.untagged = u;
    this.stale = st;
    this.bytesDelivered = b;
    this.lat = sorted(fastParts);
    this.slowLat = sorted(slowParts);
    ViewerStats last = stats.isEmpty() ? null : stats.get(stats.size() - 1);
    this.lastViewerLat = last == null || last.slow ? new float[0] : sorted(new float[][] {last.latencies()});
    this.minViewerFps = min;
    this.maxViewerFps = max;
  }

  private static float[] sorted(float[][] parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p == null ? 0 : p.length;
    }
    float[] all = new float[n];
    int at = 0;
    for (float[] p : parts) {
      if (p != null) {
        System.arraycopy(p, 0, all, at, p.length);
        at += p.length;
      }
    }
    Arrays.sort(all);
    return all;
  }

  /** bench.mjs's percentile: a[min(n-1, floor(p*n))]; null for no samples. */
  static Double pct(float[] a, double p) {
    return a.length == 0 ? null : (double) a[Math.min(a.length - 1, (int) Math.floor(p * a.length))];
  }

  static Double max(float[] a) {
    return a.length == 0 ? null : (double) a[a.length - 1];
  }

  Double sentFps() {
    return elapsed > 0 && sent > 0 ? sent / elapsed : null;
  }

  Double delivered() {
    return fastViewers > 0 && sent > 0 ? (double) fastFrames / ((double) sent * fastViewers) : null;
  }

  Double deliveredFpsPerViewer() {
    return fastViewers > 0 ? fastFrames / (double) fastViewers / elapsed : null;
  }

  Double slowFpsPerViewer() {
    return slowViewers > 0 ? slowFrames / (double) slowViewers / elapsed : null;
  }

  double outFps() {
    return (fastFrames + slowFrames) / elapsed;
  }

  Long dropped() {
    return sent > 0 && fastViewers > 0 ? Math.max(0, sent * fastViewers - fastFrames) : null;
  }

  Double cpuSeconds() {
    return before != null && after != null ? after.cpuSeconds() - before.cpuSeconds() : null;
  }

  Double cpuPerGb() {
    Double cpu = cpuSeconds();
    return cpu != null && bytesDelivered > 0 ? cpu / (bytesDelivered / 1e9) : null;
  }

  /** Relay CPU microseconds per frame delivered to a viewer: comparable across viewer protocols. */
  Double cpuMicrosPerFrame() {
    Double cpu = cpuSeconds();
    long frames = fastFrames + slowFrames;
    return cpu != null && frames > 0 ? cpu * 1e6 / frames : null;
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("mode", mode);
    o.addProperty("fps", fps);
    o.addProperty("seconds", seconds);
    o.addProperty("viewers", viewers);
    o.addProperty("slow", slow);
    o.addProperty("sent", sent);
    o.addProperty("sent_fps", round(sentFps()));
    o.addProperty("delivered", round(delivered()));
    o.addProperty("delivered_fps_per_viewer", round(deliveredFpsPerViewer()));
    JsonObject l = new JsonObject();
    l.addProperty("p50", round(pct(lat, 0.5)));
    l.addProperty("p90", round(pct(lat, 0.9)));
    l.addProperty("p99", round(pct(lat, 0.99)));
    l.addProperty("max", round(max(lat)));
    o.add("lat_ms", l);
    JsonObject lastLat = new JsonObject();
    lastLat.addProperty("p50", round(pct(lastViewerLat, 0.5)));
    lastLat.addProperty("p99", round(pct(lastViewerLat, 0.99)));
    o.add("last_viewer_lat_ms", lastLat);
    o.addProperty("slow_fps_per_viewer", round(slowFpsPerViewer()));
    JsonObject sl = new JsonObject();
    sl.addProperty("p50", round(pct(slowLat, 0.5)));
    sl.addProperty("max", round(max(slowLat)));
    o.add("slow_lat_ms", sl);
    o.addProperty("corrupt", corrupt);
    o.addProperty("untagged", untagged);
    o.addProperty("relay_cpu_s", round(cpuSeconds()));
    o.addProperty("delivered_gb", round(bytesDelivered / 1e9));
    o.addProperty("relay_cpu_s_per_gb", round(cpuPerGb()));
    o.addProperty("relay_cpu_us_per_frame", round(cpuMicrosPerFrame()));
    JsonObject rss = new JsonObject();
    rss.addProperty("before", round(before == null ? null : before.rssMb()));
    rss.addProperty("peak", round(before == null || Double.isNaN(peakRss) ? null : peakRss));
    rss.addProperty("after", round(after == null ? null : after.rssMb()));
    o.add("relay_rss_mb", rss);
    // Beyond bench.mjs:
    o.addProperty("harness", "camrelay-bench");
    o.addProperty("viewers_connected", connected);
    o.addProperty("connect_s", round(connectSeconds));
    o.addProperty("out_fps", round(outFps()));
    o.addProperty("viewer_fps_min", round(Double.isNaN(minViewerFps) ? null : minViewerFps));
    o.addProperty("viewer_fps_max", round(Double.isNaN(maxViewerFps) ? null : maxViewerFps));
    o.addProperty("dropped", dropped());
    o.addProperty("stale", stale);
    o.addProperty("bytes_sent", bytesSent);
    o.addProperty("bytes_delivered", bytesDelivered);
    o.addProperty("elapsed_s", round(elapsed));
    return o;
  }

  void print(PrintWriter out, Long pid) {
    out.printf(Locale.ROOT, "  camera      %d frames sent in %.1f s = %s fps, %.1f MB%n", sent, elapsed,
        num(sentFps(), 1), bytesSent / 1e6);
    out.printf(Locale.ROOT, "  viewers     %d/%d connected in %.1f s; %s fps each (min %s, max %s); %s delivered; %s dropped%n",
        connected, viewers, connectSeconds, num(deliveredFpsPerViewer(), 1), num(nan(minViewerFps), 1), num(nan(maxViewerFps), 1),
        delivered() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", delivered() * 100),
        dropped() == null ? "-" : dropped().toString());
    if (slowViewers > 0) {
      out.printf(Locale.ROOT, "  slow        %d viewers: %s fps each, latency p50 %s ms, max %s ms%n", slowViewers,
          num(slowFpsPerViewer(), 1), num(pct(slowLat, 0.5), 1), num(max(slowLat), 1));
    }
    out.printf(Locale.ROOT, "  out         %.1f fps total, %.1f MB delivered%n", outFps(), bytesDelivered / 1e6);
    out.printf(Locale.ROOT, "  latency     p50 %s ms  p90 %s ms  p99 %s ms  max %s ms%n", num(pct(lat, 0.5), 2),
        num(pct(lat, 0.9), 2), num(pct(lat, 0.99), 2), num(max(lat), 2));
    out.printf(Locale.ROOT, "  integrity   %d corrupt, %d untagged, %d stale%n", corrupt, untagged, stale);
    if (pid != null) {
      if (before == null || after == null) {
        out.printf("  relay       pid %d: cannot read /proc/%d%n", pid, pid);
      } else {
        out.printf(Locale.ROOT, "  relay       pid %d: %.2f CPU s, %s CPU s/GB, %s CPU us/frame, RSS %.0f -> %.0f MB"
            + " (peak %.0f)%n", pid, cpuSeconds(), num(cpuPerGb(), 1), num(cpuMicrosPerFrame(), 1), before.rssMb(),
            after.rssMb(), peakRss);
      }
    }
  }

  private static Double nan(double d) {
    return Double.isNaN(d) ? null : d;
  }

  private static String num(Double d, int decimals) {
    return d == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", d);
  }

  private static Double round(Double x) {
    return x == null || x.isNaN() || x.isInfinite() ? null : Math.round(x * 100) / 100.0;
  }
}
