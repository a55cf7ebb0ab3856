package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The status line: per camera fps in, viewers and frames dropped since the last line; with more than
 * {@link #DETAIL_LIMIT} live cameras a summary instead (cameras live and offline, viewers, fps in, frames dropped and
 * the most watched cameras), so the line does not grow with the number of cameras.
 *
 * <p>On a terminal the line updates in place ({@code \r}) every interval while cameras are live. Otherwise (a service,
 * a log file) it is an INFO log line, written only when something changed — a camera came or went, its size or
 * viewers changed, its frame rate moved by more than {@value #FPS_CHANGE_PERCENT}% (at least 1 fps), frames were
 * dropped — and as a heartbeat every {@link #HEARTBEAT} while cameras are live; "no camera connected" once when the
 * last one leaves. The interval is then how often it looks.
 */
final class StatusReporter implements AutoCloseable {
  /** Up to this many live cameras the line shows each; beyond, a summary. */
  static final int DETAIL_LIMIT = 5;
  /** The most watched cameras a summary names. */
  private static final int TOP = 3;
  private static final int MAX_ID = 24;
  static final Duration HEARTBEAT = Duration.ofMinutes(5);
  static final int FPS_CHANGE_PERCENT = 20;

  /** What the last logged line said of one live camera. */
  private record Shown(int width, int height, int viewers, double fps) {
    static Shown of(CameraStats c) {
      return new Shown(c.width(), c.height(), c.viewers(), c.fps());
    }

    boolean differsFrom(Shown now) {
      return width != now.width || height != now.height || viewers != now.viewers
          || Math.abs(fps - now.fps) > Math.max(1.0, fps * FPS_CHANGE_PERCENT / 100);
    }
  }

  private final CameraRelay relay;
  private final PrintWriter out;
  private final boolean terminal;
  private final Duration interval;
  private final ScheduledExecutorService timer;
  private final Map<String, Long> droppedBefore = new HashMap<>();
  private int shownLength;
  // Logged mode (not a terminal): what the last line showed, and when.
  private Map<String, Shown> logged = Map.of();
  private long loggedAtNanos;

  StatusReporter(CameraRelay relay, PrintWriter out, boolean terminal, Duration interval) {
    this.relay = relay;
    this.out = out;
    this.terminal = terminal;
    this.interval = interval;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "camrelay-status");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    long ms = Math.max(200, interval.toMillis());
    timer.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      if (!terminal) {
        String line = nextLogLine(relay.cameras(), System.nanoTime());
        if (line != null) {
          LoggerFactory.getLogger(StatusReporter.class).info(line);
        }
        return;
      }
      String line = line(relay.cameras());
      synchronized (out) {
        if (line == null) {
          if (shownLength > 0) {
            out.print("\r" + " ".repeat(shownLength) + "\r");
            out.flush();
            shownLength = 0;
          }
          return;
        }
        out.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
        shownLength = line.length();
        out.flush();
      }
    } catch (RuntimeException e) {
      // a status line is not worth stopping the relay for; try again next tick
    }
  }

  /**
   * Logged mode: the line to log now, or null when nothing changed notably since the last one and no heartbeat is
   * due (see the class comment).
   */
  String nextLogLine(List<CameraStats> cameras, long nowNanos) {
    Map<String, Shown> now = new HashMap<>();
    boolean dropped = false;
    for (CameraStats c : cameras) {
      if (c.connected()) {
        now.put(c.id(), Shown.of(c));
        dropped |= c.framesDropped() > droppedBefore.getOrDefault(c.id(), c.framesDropped());
      }
    }
    boolean changed = dropped || !now.keySet().equals(logged.keySet())
        || now.entrySet().stream().anyMatch(e -> logged.get(e.getKey()).differsFrom(e.getValue()));
    boolean heartbeat = !now.isEmpty() && nowNanos - loggedAtNanos >= HEARTBEAT.toNanos();
    if (!changed && !heartbeat) {
      return null;
    }
    String line = line(cameras);
    logged = now;
    loggedAtNanos = nowNanos;
    return line == null ? "no camera connected" : line;
  }

  /**
   * The status line for these cameras, or null when none is connected: one segment per live camera while there are
   * at most {@link #DETAIL_LIMIT}, else a summary of bounded length (counts, totals and the most watched cameras).
   */
  String line(List<CameraStats> cameras) {
    Map<String, Long> droppedNow = new HashMap<>();
    long droppedTotal = 0;
    int live = 0;
    for (CameraStats c : cameras) {
      long dropped = c.framesDropped() - droppedBefore.getOrDefault(c.id(), c.framesDropped());
      droppedNow.put(c.id(), dropped);
      droppedTotal += dropped;
      live += c.connected() ? 1 : 0;
    }
    // Only cameras the relay still knows: the map does not grow with every id ever seen.
    droppedBefore.clear();
    cameras.forEach(c -> droppedBefore.put(c.id(), c.framesDropped()));
    if (live == 0) {
      return null;
    }
    return live <= DETAIL_LIMIT ? perCamera(cameras, droppedNow) : summary(cameras, live, droppedTotal);
  }

  private static String perCamera(List<CameraStats> cameras, Map<String, Long> dropped) {
    StringBuilder sb = new StringBuilder();
    for (CameraStats c : cameras) {
      if (!c.connected()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(" | ");
      }
      if (c.width() == 0) {
        sb.append(c.id()).append(" connected, no frame yet");
        continue;
      }
      sb.append(String.format(Locale.ROOT, "%s %dx%d %.1f fps in, %s", c.id(), c.width(), c.height(), c.fps(),
          viewers(c.viewers())));
      if (dropped.get(c.id()) > 0) {
        sb.append(", ").append(dropped.get(c.id())).append(" dropped");
      }
    }
    return sb.toString();
  }

  /** "200 cameras (195 live, 5 offline), 816 viewers, 5,850 fps in; most watched: a 120, b 80, c 40". */
  private static String summary(List<CameraStats> cameras, int live, long dropped) {
    long viewers = 0;
    double fps = 0;
    for (CameraStats c : cameras) {
      viewers += c.viewers();
      fps += c.connected() ? c.fps() : 0;
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "%,d cameras (%,d live, %,d offline), %s, %,.0f fps in", cameras.size(), live, cameras.size() - live,
        viewers(viewers), fps));
    if (dropped > 0) {
      sb.append(String.format(Locale.ROOT, ", %,d dropped", dropped));
    }
    List<CameraStats> top = cameras.stream().filter(c -> c.viewers() > 0)
        .sorted(Comparator.comparingInt(CameraStats::viewers).reversed().thenComparing(CameraStats::id))
        .limit(TOP).toList();
    for (int i = 0; i < top.size(); i++) {
      sb.append(i == 0 ? "; most watched: " : ", ").append(shortId(top.get(i).id())).append(' ')
          .append(top.get(i).viewers());
    }
    return sb.toString();
  }

  private static String viewers(long n) {
    return String.format(Locale.ROOT, "%,d viewer%s", n, n == 1 ? "" : "s");
  }

  private static String shortId(String id) {
    return id.length() <= MAX_ID ? id : id.substring(0, MAX_ID - 3) + "...";
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (out) {
      if (terminal && shownLength > 0) {
        out.println();
        out.flush();
      }
    }
  }
}
