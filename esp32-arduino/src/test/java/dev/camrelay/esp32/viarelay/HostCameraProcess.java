package dev.camrelay.esp32.viarelay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The host camera ({@code host/build/camrelay_host_cam}, built by {@code HostCamera.build()}'s Makefile target in the
 * module's own tests and by {@code host/run-tests.sh} before them) as a process whose log lines can be awaited. A
 * small stand-in for {@code dev.camrelay.esp32.HostCamera}, which is package-private to the firmware's tests.
 */
final class HostCameraProcess implements AutoCloseable {
  static final Path BINARY = Path.of("host", "build", "camrelay_host_cam").toAbsolutePath();

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  HostCameraProcess(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(BINARY.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ASAN_OPTIONS", "detect_leaks=0");  // its exit paths skip destructors on purpose
    process = pb.start();
    reader = new Thread(this::collect, "host-camera-log");
    reader.setDaemon(true);
    reader.start();
  }

  private void collect() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** The first log line matching {@code wanted}; the limit only keeps a broken run from hanging. */
  String awaitLine(Predicate<String> wanted, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (lines) {
      for (int seen = 0; ; ) {
        for (; seen < lines.size(); seen++) {
          if (wanted.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such line from the host camera within " + limit + ":\n" + output());
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

  int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the host camera did not exit within " + limit + ":\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

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
