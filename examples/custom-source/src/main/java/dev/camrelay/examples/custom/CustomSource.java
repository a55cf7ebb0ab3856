package dev.camrelay.examples.custom;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraRelay;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Feeds a camera from Java: a {@link ClockSource} (a Java2D clock, or the JPEG files of a folder) attaches to the
 * relay with {@link CameraHub#attachSource} and the relay serves its frames to browsers, VLC and Home Assistant like
 * a network camera's, and forwards control commands to it. No TCP camera port is opened.
 *
 * <p>Arguments (all optional): {@code --camera ID} (default {@code default}), {@code --fps N} (default 10, 0.1 to
 * 60), {@code --frames DIR} (publish these JPEGs in a loop instead of the clock), {@code --seconds N} (stop after N
 * seconds; default until Ctrl-C), {@code --bind HOST} (default {@code 0.0.0.0}), {@code --ws-port/--http-port PORT}
 * (default 3009/3010, 0 = any free port).
 */
public final class CustomSource implements AutoCloseable {
  private final CameraRelay relay;
  private final ClockSource source;

  /** Starts a relay and attaches a source publishing {@code fps} frames a second as camera {@code cameraId}. */
  public CustomSource(String bind, String cameraId, double fps, Path frames, int wsPort, int httpPort,
      PrintStream out) throws IOException {
    source = new ClockSource(fps, frames == null ? null : load(frames));
    relay = CameraRelay.builder().bind(bind).tcpPort(-1).wsPort(wsPort).httpPort(httpPort)
        .defaultCameraId(cameraId).build();
    try {
      relay.start();
      CameraHub hub = relay;
      source.attach(hub, cameraId);
    } catch (IOException | RuntimeException e) {
      source.close();
      relay.close();
      throw e;
    }
    out.printf(Locale.ROOT, "Publishing camera '%s' from Java at %s fps.%n", cameraId, fps);
    out.println("Open http://localhost:" + relay.httpPort() + "/  (MJPEG: http://localhost:" + relay.httpPort()
        + "/cam/" + cameraId + "/stream.mjpeg)");
    out.println("Commands {\"cmd\":\"status\"} and {\"cmd\":\"fps\",\"value\":5} work from the page's control panel"
        + (relayIsLoopback(bind) ? "." : " when the relay listens on loopback only (--bind 127.0.0.1)."));
    out.flush();
  }

  private static boolean relayIsLoopback(String bind) {
    return bind.equals("127.0.0.1") || bind.equals("localhost") || bind.equals("::1");
  }

  /** The running relay. */
  public CameraRelay relay() {
    return relay;
  }

  /** The source feeding the camera. */
  public ClockSource source() {
    return source;
  }

  @Override
  public void close() {
    source.close();
    relay.close();
  }

  private static List<JpegFrame> load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no .jpg files in " + dir);
    }
    List<JpegFrame> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(JpegFrame.parse(Files.readAllBytes(f)));
      } catch (dev.camrelay.frame.jpeg.JpegFormatException e) {
        throw new IOException(f + " is not a complete JPEG: " + e.getMessage(), e);
      }
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    CustomSource app = new CustomSource(opts.getOrDefault("bind", "0.0.0.0"),
        opts.getOrDefault("camera", "default"),
        Double.parseDouble(opts.getOrDefault("fps", "10")),
        opts.containsKey("frames") ? Path.of(opts.get("frames")) : null,
        Integer.parseInt(opts.getOrDefault("ws-port", "3009")),
        Integer.parseInt(opts.getOrDefault("http-port", "3010")),
        System.out);
    Thread stop = new Thread(app::close);
    Runtime.getRuntime().addShutdownHook(stop);
    long seconds = Long.parseLong(opts.getOrDefault("seconds", "0"));
    if (seconds > 0) {
      Thread.sleep(seconds * 1000);
      Runtime.getRuntime().removeShutdownHook(stop);
      app.close();
      System.out.println("Published " + app.source().published() + " frames.");
    } else {
      Thread.currentThread().join();
    }
  }
}
