package dev.camrelay.examples.custom;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.relay.CameraRelay;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a camera from Java: {@link CameraRelay#publish(String, byte[])} takes JPEGs from any source (here a
 * Java2D clock, or the JPEG files of a folder) and the relay serves them to browsers, VLC and Home Assistant like
 * a network camera's. No TCP camera port is opened.
 *
 * <p>Arguments (all optional): {@code --camera ID} (default {@code default}), {@code --fps N} (default 10),
 * {@code --frames DIR} (publish these JPEGs in a loop instead of the clock), {@code --seconds N} (stop after N
 * seconds; default until Ctrl-C), {@code --ws-port/--http-port PORT} (default 3009/3010, 0 = any free port).
 */
public final class CustomSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CustomSource.class);

  private final CameraRelay relay;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong published = new AtomicLong();

  /** Starts a relay and publishes {@code fps} frames a second to camera {@code cameraId}. */
  public CustomSource(String cameraId, double fps, Path frames, int wsPort, int httpPort, PrintStream out)
      throws IOException {
    List<byte[]> files = frames == null ? null : load(frames);
    relay = CameraRelay.builder().tcpPort(-1).wsPort(wsPort).httpPort(httpPort).defaultCameraId(cameraId).build();
    relay.start();
    long periodMicros = (long) (1_000_000 / fps);
    timer.scheduleAtFixedRate(() -> {
      long n = published.get();
      byte[] jpeg = files != null ? files.get((int) (n % files.size())) : clock(n);
      try {
        relay.publish(cameraId, jpeg);
        published.incrementAndGet();
      } catch (JpegFormatException e) {
        log.warn("frame {} is not a complete JPEG, skipped: {}", n, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("publish failed: {}", e.toString()); // keep the timer alive
      }
    }, 0, periodMicros, TimeUnit.MICROSECONDS);
    out.printf(Locale.ROOT, "Publishing camera '%s' from Java at %s fps.%n", cameraId, fps);
    out.println("Open http://localhost:" + relay.httpPort() + "/  (MJPEG: http://localhost:" + relay.httpPort()
        + "/cam/" + cameraId + "/stream.mjpeg)");
    out.flush();
  }

  /** The running relay. */
  public CameraRelay relay() {
    return relay;
  }

  /** Frames published so far. */
  public long published() {
    return published.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    relay.close();
  }

  /** One frame of a clock: a second hand that sweeps once a minute, the time and the frame number. */
  static byte[] clock(long frameNumber) {
    int w = 320;
    int h = 240;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(20, 40, 70));
    g.fillRect(0, 0, w, h);
    LocalTime now = LocalTime.now();
    double angle = (now.getSecond() + now.getNano() / 1e9) / 60 * 2 * Math.PI;
    int cx = w / 2;
    int cy = h / 2 - 10;
    int r = 80;
    g.setColor(Color.WHITE);
    g.setStroke(new BasicStroke(3));
    g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
    g.drawLine(cx, cy, cx + (int) (Math.sin(angle) * (r - 8)), cy - (int) (Math.cos(angle) * (r - 8)));
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 16));
    g.drawString(now.format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + "  #" + frameNumber, 20, h - 12);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static List<byte[]> load(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> files = list.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g")).sorted().toList();
      if (files.isEmpty()) {
        throw new IOException("no .jpg files in " + dir);
      }
      List<byte[]> out = new java.util.ArrayList<>();
      for (Path f : files) {
        out.add(Files.readAllBytes(f));
      }
      return out;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    CustomSource source = new CustomSource(opts.getOrDefault("camera", "default"),
        Double.parseDouble(opts.getOrDefault("fps", "10")),
        opts.containsKey("frames") ? Path.of(opts.get("frames")) : null,
        Integer.parseInt(opts.getOrDefault("ws-port", "3009")),
        Integer.parseInt(opts.getOrDefault("http-port", "3010")),
        System.out);
    Thread stop = new Thread(source::close);
    Runtime.getRuntime().addShutdownHook(stop);
    long seconds = Long.parseLong(opts.getOrDefault("seconds", "0"));
    if (seconds > 0) {
      Thread.sleep(seconds * 1000);
      Runtime.getRuntime().removeShutdownHook(stop);
      source.close();
      System.out.println("Published " + source.published() + " frames.");
    } else {
      Thread.currentThread().join();
    }
  }
}
