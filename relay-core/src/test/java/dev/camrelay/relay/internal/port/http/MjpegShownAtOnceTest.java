package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless Chromium shows an MJPEG frame as soon as the relay has it (issue #13, "MJPEG shown at once"): Chromium
 * shows a part only once the next part's header block has arrived, so a relay that sends that block only with the
 * next frame shows every frame one frame interval late (about 1 s at 1 fps). With advance headers each frame is shown
 * while it is still the newest one.
 *
 * <p>How it is measured: solid-colour JPEGs (red, green, blue, ...) go through the relay at 1 fps; a page served by
 * the relay draws the stream's {@code <img>} into a 1×1 canvas every few milliseconds and logs each colour change
 * with its clock to the console, which Chromium writes to stderr. Latency = the page's time of the change minus the
 * wall-clock time of the publish (same machine, same clock); both are printed.
 */
class MjpegShownAtOnceTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** Published in this order, round and round; black is what the page sees before any frame. */
  private static final int[] COLOURS = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF};
  private static final int FRAMES = 8;
  private static final long FRAME_INTERVAL_MS = 1000;
  private static final Pattern SHOWN = Pattern.compile("camrelay-shown ([R-][G-][B-]) (\\d+)");

  /** Samples the picture's top-left pixel every 2 ms and logs every change of colour with the page's clock. */
  private static final String PAGE = """
      <!doctype html><html><body style="margin:0;background:#000">
      <img id="v" width="32" height="32"><canvas id="c" width="1" height="1"></canvas>
      <script>
      const img = document.getElementById('v');
      const ctx = document.getElementById('c').getContext('2d', {willReadFrequently: true});
      let last = '';
      setInterval(() => {
        ctx.clearRect(0, 0, 1, 1);
        try { ctx.drawImage(img, 0, 0, 1, 1); } catch (e) { return; }
        const d = ctx.getImageData(0, 0, 1, 1).data;
        const rgb = (d[0] > 128 ? 'R' : '-') + (d[1] > 128 ? 'G' : '-') + (d[2] > 128 ? 'B' : '-');
        if (rgb !== last) {
          last = rgb;
          console.log('camrelay-shown ' + rgb + ' ' + Date.now());
        }
      }, 2);
      img.src = '/cam/latency/stream.mjpeg' + location.search;
      </script></body></html>
      """;

  @TempDir Path dir;

  private HttpFixture http;
  private Chromium chromium;

  @AfterEach
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (http != null) {
      http.close();
    }
  }

  /**
   * The default for a browser: every frame is shown before the next one is published. The next frame is published
   * only once the page shows the current one (and not before 1 s after the last), so a relay without advance headers
   * fails here after the deadline however loaded the machine is, and one with them runs at 1 fps.
   */
  @Test
  void chromiumShowsEachFrameWhileItIsStillTheNewest() throws Exception {
    startRelay();
    long published = publish(0);
    openPage("");
    chromium.awaitShown(0, 60);
    List<Long> latencies = new ArrayList<>();
    for (int i = 1; i < FRAMES; i++) {
      sleepUntil(published + FRAME_INTERVAL_MS);
      published = publish(i);
      Shown shown = chromium.awaitShown(i, 30);
      latencies.add(shown.pageMillis() - published);
    }
    report("advance headers (Chromium's default)", latencies);
  }

  /**
   * {@code ?advance=0}: Content-Length parts, as before. Chromium still shows them all, each once the next part's
   * header is in; once the page watches, frames are published at a steady 1 fps, one more than is awaited.
   */
  @Test
  void chromiumStillShowsContentLengthPartsWhenAdvanceHeadersAreTurnedOff() throws Exception {
    startRelay();
    List<Long> publishedAt = new ArrayList<>();
    publishedAt.add(publish(0));
    openPage("?advance=0");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (http.viewers("latency") == 0) {
      assertThat(System.nanoTime()).as("the page's stream attached within 60 s").isLessThan(deadline);
      Thread.sleep(10);
    }
    long start = System.currentTimeMillis();
    List<Long> latencies = new ArrayList<>();
    Thread publisher = new Thread(() -> {
      try {
        for (int i = 1; i <= FRAMES; i++) {
          // Frame 0 went out at attach; sent together with frame 1, Chromium may paint only frame 1.
          sleepUntil(start + i * FRAME_INTERVAL_MS);
          long at = publish(i);
          synchronized (publishedAt) {
            publishedAt.add(at);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "test-publisher");
    publisher.start();
    try {
      chromium.awaitShown(0, 60);
      for (int i = 1; i < FRAMES; i++) {
        Shown shown = chromium.awaitShown(i, 30);
        synchronized (publishedAt) {
          latencies.add(shown.pageMillis() - publishedAt.get(i));
        }
      }
    } finally {
      publisher.interrupt();
      publisher.join(5000);
    }
    report("Content-Length parts (?advance=0)", latencies);
  }

  /** A relay serving {@link #PAGE} as /latency.html. */
  private void startRelay() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed at /usr/bin/chromium: skipping the browser check");
    Path pages = Files.createDirectories(dir.resolve("pages/page"));
    Files.writeString(pages.resolve("latency.html"), PAGE, StandardCharsets.UTF_8);
    StaticAssets assets = new StaticAssets(
        new URLClassLoader(new URL[] {dir.resolve("pages").toUri().toURL()}, null), "page/");
    http = new HttpFixture(TestConfig.builder(), null, assets);
  }

  /** Chromium on the page; {@code query} goes on to the stream's URL. */
  private void openPage(String query) throws IOException {
    chromium = new Chromium(dir, "http://127.0.0.1:" + http.port + "/latency.html" + query);
  }

  /** Publishes frame {@code i} of the sequence; returns the wall-clock time just before. */
  private long publish(int i) {
    byte[] jpeg = TestJpegs.solid(64, 48, COLOURS[i % COLOURS.length]);
    long now = System.currentTimeMillis();
    http.publish("latency", jpeg);
    return now;
  }

  private static void sleepUntil(long wallClockMillis) throws InterruptedException {
    long wait = wallClockMillis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  private static void report(String mode, List<Long> latencies) {
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    System.out.printf("MJPEG publish -> shown in headless Chromium at 1 fps, %s: median %d ms, max %d ms, all %s%n",
        mode, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), latencies);
  }

  private static String code(int rgb) {
    return (((rgb >> 16) & 0xff) > 128 ? "R" : "-") + (((rgb >> 8) & 0xff) > 128 ? "G" : "-")
        + ((rgb & 0xff) > 128 ? "B" : "-");
  }

  record Shown(String colour, long pageMillis) {}

  /** Headless Chromium on one page; its console lines "camrelay-shown ..." become {@link Shown} events. */
  private static final class Chromium implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<Shown> shown = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread reader;

    Chromium(Path dir, String url) throws IOException {
      process = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
          "--no-first-run", "--user-data-dir=" + dir.resolve("profile"), "--window-size=200,150",
          "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
          "--disable-backgrounding-occluded-windows", "--enable-logging=stderr", "--v=0", url)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true).start();
      reader = new Thread(this::read, "test-chromium-log");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          Matcher m = SHOWN.matcher(line);
          if (m.find()) {
            shown.add(new Shown(m.group(1), Long.parseLong(m.group(2))));
          }
          if (line.contains("dbus") || line.contains("D-Bus")) {
            continue; // no system bus in a container: noise
          }
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 40) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    }

    /** Waits for the page to show frame {@code i}'s colour; colours shown meanwhile are passed over. */
    Shown awaitShown(int i, int seconds) throws InterruptedException {
      String colour = code(COLOURS[i % COLOURS.length]);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        Shown s = shown.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (s == null) {
          String log;
          synchronized (tail) {
            log = String.join("\n", tail);
          }
          throw new AssertionError("frame " + i + " (" + colour + ") not shown within " + seconds + " s"
              + (process.isAlive() ? "" : " (chromium exited)")
              + "; chromium's log ends:\n" + log);
        }
        if (s.colour().equals(colour)) {
          return s;
        }
      }
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
