package dev.camrelay.cli.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.camrelay.cli.UserError;
import dev.camrelay.cli.client.WsViewerClient;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bench --probe URL}: one extra viewer per URL, reported on its own. The probes share this process's clock
 * with the camera, so their latencies compare exactly, e.g. a viewer on the camera's relay node against one on
 * another node of a cluster. They are not counted among {@code --viewers}.
 */
final class BenchProbes {
  private final List<URI> urls;
  private final List<ViewerStats> stats = new ArrayList<>();
  private final List<WsViewerClient.Viewer> open = new ArrayList<>();

  BenchProbes(List<URI> urls) {
    this.urls = List.copyOf(urls);
  }

  /** Connects every probe; a probe that cannot connect is a {@link UserError} naming its URL. */
  void open(WsViewerClient client, String viewerToken) throws InterruptedException {
    for (URI url : urls) {
      ViewerStats v = new ViewerStats(false);
      WsViewerClient.Options o = WsViewerClient.Options.of(url).withBearerToken(viewerToken).withInsecureTls(true);
      try {
        open.add(client.connect(o, v).get(30, TimeUnit.SECONDS));
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        throw new UserError("probe " + url + " could not connect: " + cause.getMessage());
      }
      v.connected();
      stats.add(v);
    }
  }

  /** Frames tagged before {@code millis} (the relay's latest frame from before the run) are not counted. */
  void countFrom(double millis) {
    stats.forEach(v -> v.notBefore = millis);
  }

  void close() {
    open.forEach(WsViewerClient.Viewer::close);
  }

  /** One object per probe: its URL, frames received and latency percentiles; empty without probes. */
  JsonArray toJson() {
    JsonArray a = new JsonArray();
    for (int i = 0; i < stats.size(); i++) {
      float[] lat = sortedLatencies(i);
      JsonObject o = new JsonObject();
      o.addProperty("url", urls.get(i).toString());
      o.addProperty("frames", stats.get(i).frames());
      JsonObject l = new JsonObject();
      l.addProperty("p50", BenchReport.pct(lat, 0.5));
      l.addProperty("p90", BenchReport.pct(lat, 0.9));
      l.addProperty("p99", BenchReport.pct(lat, 0.99));
      l.addProperty("max", BenchReport.max(lat));
      o.add("lat_ms", l);
      o.addProperty("corrupt", stats.get(i).corrupt());
      a.add(o);
    }
    return a;
  }

  void print(PrintWriter out) {
    for (int i = 0; i < stats.size(); i++) {
      float[] lat = sortedLatencies(i);
      out.printf(Locale.ROOT, "  probe       %s: %d frames, latency p50 %s / p99 %s / max %s ms%n", urls.get(i),
          stats.get(i).frames(), ms(BenchReport.pct(lat, 0.5)), ms(BenchReport.pct(lat, 0.99)),
          ms(BenchReport.max(lat)));
    }
  }

  private float[] sortedLatencies(int i) {
    float[] lat = stats.get(i).latencies();
    Arrays.sort(lat);
    return lat;
  }

  private static String ms(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d);
  }
}
