package dev.camrelay.examples.embed;

import dev.camrelay.relay.CameraListener;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds the relay in a Java application: cameras push to it and viewers watch as usual, while a
 * {@link SnapshotSaver} listener saves a snapshot of every camera every N seconds and logs big picture changes.
 *
 * <p>Arguments (all optional): {@code --snapshots DIR} (default {@code snapshots}), {@code --every SECONDS}
 * (default 10), {@code --threshold 0..255} (default 30), {@code --seconds N} (stop after N seconds; default: run
 * until Ctrl-C), {@code --tcp-port/--ws-port/--http-port PORT} (default 3008/3009/3010, 0 = any free port).
 */
public final class EmbedRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbedRelay.class);

  private final CameraRelay relay;
  private final SnapshotSaver saver;
  private final AutoCloseable frameSubscription;
  private final AutoCloseable eventSubscription;

  /** Starts a relay on the given ports with a snapshot saver writing to {@code folder}. */
  public EmbedRelay(int tcpPort, int wsPort, int httpPort, Path folder, Duration every, int threshold, PrintStream out)
      throws IOException {
    Files.createDirectories(folder);
    relay = CameraRelay.builder().tcpPort(tcpPort).wsPort(wsPort).httpPort(httpPort).build();
    saver = new SnapshotSaver(folder, every, threshold);
    frameSubscription = relay.onFrame(saver);
    eventSubscription = relay.onCameraEvent(new CameraListener() {
      @Override
      public void onConnected(CameraStats camera) {
        log.info("camera '{}' connected from {} ({})", camera.id(), camera.remote(), camera.ingest());
      }

      @Override
      public void onDisconnected(String cameraId, String reason) {
        log.info("camera '{}' disconnected: {}", cameraId, reason);
      }
    });
    relay.start();
    out.println("Cameras push to tcp port " + relay.tcpPort() + "; watch http://localhost:" + relay.httpPort() + "/");
    out.println("Saving a snapshot of every camera every " + every.toSeconds() + " s to " + folder.toAbsolutePath());
    out.flush();
  }

  /** The running relay (e.g. to read its ports). */
  public CameraRelay relay() {
    return relay;
  }

  SnapshotSaver saver() {
    return saver;
  }

  @Override
  public void close() throws Exception {
    frameSubscription.close();
    eventSubscription.close();
    relay.close();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    EmbedRelay app = new EmbedRelay(
        Integer.parseInt(opts.getOrDefault("tcp-port", "3008")),
        Integer.parseInt(opts.getOrDefault("ws-port", "3009")),
        Integer.parseInt(opts.getOrDefault("http-port", "3010")),
        Path.of(opts.getOrDefault("snapshots", "snapshots")),
        Duration.ofSeconds(Long.parseLong(opts.getOrDefault("every", "10"))),
        Integer.parseInt(opts.getOrDefault("threshold", "30")),
        System.out);
    Thread stop = new Thread(() -> {
      try {
        app.close();
      } catch (Exception e) {
        log.warn("closing: {}", e.toString());
      }
    });
    Runtime.getRuntime().addShutdownHook(stop); // Ctrl-C closes the relay cleanly
    long seconds = Long.parseLong(opts.getOrDefault("seconds", "0"));
    if (seconds > 0) {
      Thread.sleep(seconds * 1000);
      Runtime.getRuntime().removeShutdownHook(stop);
      app.close();
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
