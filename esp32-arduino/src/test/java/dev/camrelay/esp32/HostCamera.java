package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.imageio.ImageIO;

/**
 * The firmware's client code running as a host process ({@code host/build/camrelay_host_cam}): started with
 * arguments, its stdout (one log line per event) collected for assertions.
 */
final class HostCamera implements AutoCloseable {
  static final Path HOST_DIR = Path.of("host").toAbsolutePath();
  static final Path BINARY = HOST_DIR.resolve("build/camrelay_host_cam");

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private HostCamera(Process process) {
    this.process = process;
    this.reader = new Thread(this::readLines, "host-cam-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Builds the host camera with the module's Makefile (a no-op when it is up to date). */
  static void build() throws Exception {
    Process make;
    try {
      make = new ProcessBuilder("make", "-s", "-C", HOST_DIR.toString(), "host-cam").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("esp32-arduino needs make and g++ for its host tests (apt-get install g++ make)", e);
    }
    String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(make.waitFor(5, TimeUnit.MINUTES)).as("make finished").isTrue();
    assertThat(make.exitValue()).as("make host-cam failed:\n%s", output).isZero();
    assertThat(Files.isExecutable(BINARY)).isTrue();
  }

  /** Writes one real 320x240 JPEG per colour into {@code dir} (frame-00.jpg, ...) and returns their bytes. */
  static List<byte[]> writeJpegs(Path dir, Color... colors) throws IOException {
    Files.createDirectories(dir);
    List<byte[]> jpegs = new ArrayList<>();
    for (int i = 0; i < colors.length; i++) {
      BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(colors[i]);
      g.fillRect(0, 0, 320, 240);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 48));
      g.drawString("frame " + i, 40, 130);
      g.dispose();
      Path file = dir.resolve(String.format("frame-%02d.jpg", i));
      assertThat(ImageIO.write(image, "jpg", file.toFile())).isTrue();
      jpegs.add(Files.readAllBytes(file));
    }
    return jpegs;
  }

  static HostCamera start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ASAN_OPTIONS", "detect_leaks=0");  // exit paths skip destructors on purpose
    return new HostCamera(pb.start());
  }

  private void readLines() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process went away
    }
  }

  /** Waits (at most {@code timeout}, only to avoid hanging) for a log line matching {@code predicate}. */
  String awaitLine(Predicate<String> predicate, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (predicate.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching line from the host camera within " + timeout + "; output:\n" + output());
        }
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("host camera exited; output:\n%s", output())
        .isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(10));  // every line it printed has been collected
    return process.exitValue();
  }

  /** SIGTERM: the host camera says BYE and exits 0. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    reader.join(5000);
  }
}
