package dev.camrelay.examples.timelapse;

import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraRelay;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a relay and records a timelapse of one camera, or of every camera, with a {@link TimelapseWriter} attached
 * as a {@link dev.camrelay.relay.CameraOutput}: cameras push and viewers watch as usual while every Nth frame goes
 * to a folder.
 *
 * <p>Arguments (all optional): {@code --camera ID} (default {@code default}; {@code *} = every camera, now and
 * later), {@code --every N} (default 30), {@code --dir DIR} (default {@code timelapse}), {@code --seconds N} (stop
 * after N seconds; default until Ctrl-C), {@code --bind HOST} (default {@code 0.0.0.0}),
 * {@code --tcp-port/--ws-port/--http-port PORT} (default 3008/3009/3010, 0 = any free port).
 */
public final class Timelapse implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Timelapse.class);

  /** The {@code --camera} value that records every camera. */
  public static final String ALL_CAMERAS = "*";

  private final CameraRelay relay;
  private final TimelapseWriter writer;
  private final AutoCloseable attachment;

  /** Starts a relay on {@code bind} and the given ports, recording {@code camera} (or {@link #ALL_CAMERAS}). */
  public Timelapse(String bind, int tcpPort, int wsPort, int httpPort, String camera, long every, Path dir,
      PrintStream out) throws IOException {
    writer = new TimelapseWriter(dir, every);
    relay = CameraRelay.builder().bind(bind).tcpPort(tcpPort).wsPort(wsPort).httpPort(httpPort).build();
    try {
      relay.start();
      attachment = record(relay, camera, writer);
    } catch (IOException | RuntimeException e) {
      relay.close();
      writer.close();
      throw e;
    }
    out.println("Cameras push to tcp port " + relay.tcpPort() + "; watch http://localhost:" + relay.httpPort() + "/");
    out.println("Writing 1 frame in " + every + " of " + (ALL_CAMERAS.equals(camera) ? "every camera"
        : "camera '" + camera + "'") + " to " + dir.toAbsolutePath());
    out.flush();
  }

  /**
   * Attaches {@code writer} to camera {@code camera} of {@code hub}, or to every camera for {@link #ALL_CAMERAS}.
   *
   * @return closing it stops recording
   */
  static AutoCloseable record(CameraHub hub, String camera, TimelapseWriter writer) {
    if (ALL_CAMERAS.equals(camera)) {
      return hub.attachOutputs(writer); // one output per camera with a source, as cameras come
    }
    return hub.attachOutput(camera, writer.create(camera));
  }

  /** The running relay (e.g. to read its ports). */
  public CameraRelay relay() {
    return relay;
  }

  /** The writer (e.g. to read its counters). */
  public TimelapseWriter writer() {
    return writer;
  }

  /** Stops recording, lets the file being written finish, then stops the relay. */
  @Override
  public void close() {
    try {
      attachment.close();
    } catch (Exception e) {
      log.warn("detaching the timelapse: {}", e.toString());
    }
    writer.close();
    relay.close();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    Timelapse app = new Timelapse(
        opts.getOrDefault("bind", "0.0.0.0"),
        Integer.parseInt(opts.getOrDefault("tcp-port", "3008")),
        Integer.parseInt(opts.getOrDefault("ws-port", "3009")),
        Integer.parseInt(opts.getOrDefault("http-port", "3010")),
        opts.getOrDefault("camera", "default"),
        Long.parseLong(opts.getOrDefault("every", "30")),
        Path.of(opts.getOrDefault("dir", "timelapse")),
        System.out);
    Thread stop = new Thread(app::close);
    Runtime.getRuntime().addShutdownHook(stop); // Ctrl-C finishes the file being written
    long seconds = Long.parseLong(opts.getOrDefault("seconds", "0"));
    if (seconds > 0) {
      Thread.sleep(seconds * 1000);
      Runtime.getRuntime().removeShutdownHook(stop);
      app.close();
      System.out.println("Wrote " + app.writer().written() + " files (" + app.writer().failed() + " failed).");
    } else {
      Thread.currentThread().join();
    }
  }

  /** "--key value" pairs; an example keeps its argument parsing trivial. */
  static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value pairs, got '" + args[i] + "'");
      }
      out.put(args[i].substring(2), args[++i]);
    }
    return out;
  }
}
