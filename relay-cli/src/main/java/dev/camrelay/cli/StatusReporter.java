package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints one status line every interval while cameras are live: per camera fps in, viewers and frames dropped since
 * the last line. On a terminal the line updates in place ({@code \r}); otherwise each is a plain line with a time.
 */
final class StatusReporter implements AutoCloseable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final CameraRelay relay;
  private final PrintWriter out;
  private final boolean terminal;
  private final Duration interval;
  private final ScheduledExecutorService timer;
  private final Map<String, Long> droppedBefore = new HashMap<>();
  private int shownLength;

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
      String line = line(relay.cameras());
      synchronized (out) {
        if (line == null) {
          if (terminal && shownLength > 0) {
            out.print("\r" + " ".repeat(shownLength) + "\r");
            out.flush();
            shownLength = 0;
          }
          return;
        }
        if (terminal) {
          out.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
          shownLength = line.length();
        } else {
          out.println(LocalTime.now().format(TIME) + " " + line);
        }
        out.flush();
      }
    } catch (RuntimeException e) {
      // a status line is not worth stopping the relay for; try again next tick
    }
  }

  /** The status line for these cameras, or null when none is connected. */
  String line(List<CameraStats> cameras) {
    StringBuilder sb = new StringBuilder();
    for (CameraStats c : cameras) {
      long dropped = c.framesDropped() - droppedBefore.getOrDefault(c.id(), c.framesDropped());
      droppedBefore.put(c.id(), c.framesDropped());
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
      sb.append(String.format(Locale.ROOT, "%s %dx%d %.1f fps in, %d viewer%s", c.id(), c.width(), c.height(),
          c.fps(), c.viewers(), c.viewers() == 1 ? "" : "s"));
      if (dropped > 0) {
        sb.append(", ").append(dropped).append(" dropped");
      }
    }
    return sb.length() == 0 ? null : sb.toString();
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
