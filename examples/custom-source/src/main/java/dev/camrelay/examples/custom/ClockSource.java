package dev.camrelay.examples.custom;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera made of Java code, attached to the relay as a {@link CameraSource}: it draws a clock with Java2D (or
 * loops over a list of JPEG files) on its own thread, publishes each frame through its {@link SourceHandle} with
 * its own frame number and capture time, and takes control commands like a network camera:
 *
 * <ul>
 *   <li>{@code {"cmd":"status"}} → {@code {"ok":true,"fps":10.0,"frames":123}}</li>
 *   <li>{@code {"cmd":"fps","value":5}} → {@code {"ok":true,"fps":5.0}}: changes the frame rate (0.1 to 60)</li>
 *   <li>anything else → {@code {"ok":false,"error":"unknown command"}}</li>
 * </ul>
 *
 * <p>Everything the source does happens on its one thread: frames, and control commands (the relay's
 * {@link #onControl} only hands them over, it must not block). When the relay detaches it (another source took the
 * camera id, or the relay closes) the thread stops; so does it when {@link #close()} is called.
 *
 * <p>Limits: drawing and encoding a 320x240 frame takes a few milliseconds, so rates far above 60 fps are not
 * offered. Frames are numbered from 1 and timed in microseconds since the source started (its own clock, not the
 * wall clock). With files, each is validated once at start; the relay never gets a broken JPEG from here.
 */
public final class ClockSource implements CameraSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClockSource.class);
  static final double MIN_FPS = 0.1;
  static final double MAX_FPS = 60;

  private final List<JpegFrame> files;
  private final ScheduledExecutorService thread;
  private final long startNanos = System.nanoTime();
  private final AtomicLong published = new AtomicLong();
  private volatile double fps;
  private volatile DetachReason detachedBecause;
  private volatile SourceHandle handle;
  private ScheduledFuture<?> ticking; // touched only on the source's thread

  /**
   * @param fps frames per second, 0.1 to 60
   * @param files JPEGs to publish in a loop, or null for the clock
   */
  public ClockSource(double fps, List<JpegFrame> files) {
    checkFps(fps);
    if (files != null && files.isEmpty()) {
      throw new IllegalArgumentException("no files to publish");
    }
    this.fps = fps;
    this.files = files == null ? null : List.copyOf(files);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "clock-source");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Attaches this source to {@code hub} as camera {@code cameraId} (replacing the camera's current source, if any)
   * and starts publishing.
   *
   * @return the attachment; closing it detaches the source (its thread stops with {@link #close()})
   */
  public SourceHandle attach(CameraHub hub, String cameraId) {
    SourceHandle h = hub.attachSource(cameraId, SourceInfo.of("example", "in-process").withControl(), this);
    handle = h;
    try {
      thread.execute(this::schedule);
    } catch (RejectedExecutionException e) { // replaced or closed already
      h.close();
    }
    return h;
  }

  @Override
  public void onControl(ControlRequest request) {
    try {
      thread.execute(() -> answer(request));
    } catch (RejectedExecutionException e) { // stopped meanwhile
      request.fail("source stopped");
    }
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    log.info("clock source detached: {} ({})", reason, message);
    detachedBecause = reason;
    thread.shutdownNow();
  }

  /** Stops publishing and detaches from the relay. */
  @Override
  public void close() {
    thread.shutdownNow();
    SourceHandle h = handle;
    if (h != null) {
      h.close();
    }
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Frames published so far. */
  public long published() {
    return published.get();
  }

  /** The current frame rate. */
  public double fps() {
    return fps;
  }

  /** Why the relay detached this source, or null while it has not. */
  public DetachReason detachedBecause() {
    return detachedBecause;
  }

  /** Whether the source's thread has stopped (after {@link #onDetached} or {@link #close()}). */
  public boolean stopped() {
    return thread.isTerminated();
  }

  private void schedule() {
    if (ticking != null) {
      ticking.cancel(false);
    }
    long periodMicros = Math.round(1_000_000 / fps);
    ticking = thread.scheduleAtFixedRate(this::publishOne, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void publishOne() {
    long sequence = published.get() + 1;
    long captureMicros = (System.nanoTime() - startNanos) / 1000;
    JpegFrame frame;
    try {
      frame = files != null ? files.get((int) ((sequence - 1) % files.size())) : JpegFrame.parse(clock(sequence));
    } catch (JpegFormatException | RuntimeException e) {
      log.warn("frame {} could not be made, skipped: {}", sequence, e.toString()); // keep the thread alive
      return;
    }
    if (handle.publish(frame, sequence, captureMicros)) {
      published.set(sequence);
    } else {
      thread.shutdown(); // detached: another source has the camera now
    }
  }

  private void answer(ControlRequest request) {
    JsonObject command;
    try {
      command = JsonParser.parseString(request.json()).getAsJsonObject(); // the relay passes only JSON objects
    } catch (RuntimeException e) {
      request.reply(error("not a JSON object"));
      return;
    }
    JsonElement cmd = command.get("cmd");
    String name = cmd != null && cmd.isJsonPrimitive() ? cmd.getAsString() : "";
    JsonObject reply = new JsonObject();
    switch (name) {
      case "status" -> {
        reply.addProperty("ok", true);
        reply.addProperty("fps", fps);
        reply.addProperty("frames", published.get());
      }
      case "fps" -> {
        JsonElement value = command.get("value");
        if (value == null || !value.isJsonPrimitive() || !((JsonPrimitive) value).isNumber()) {
          request.reply(error("fps needs a number value"));
          return;
        }
        double wanted = value.getAsDouble();
        if (!(wanted >= MIN_FPS && wanted <= MAX_FPS)) {
          request.reply(error("fps must be from " + MIN_FPS + " to " + (int) MAX_FPS));
          return;
        }
        fps = wanted;
        schedule();
        reply.addProperty("ok", true);
        reply.addProperty("fps", fps);
      }
      default -> {
        request.reply(error("unknown command"));
        return;
      }
    }
    request.reply(reply.toString());
  }

  private static String error(String message) {
    JsonObject reply = new JsonObject();
    reply.addProperty("ok", false);
    reply.addProperty("error", message);
    return reply.toString();
  }

  private static void checkFps(double fps) {
    if (!(fps >= MIN_FPS && fps <= MAX_FPS)) {
      throw new IllegalArgumentException("fps must be from " + MIN_FPS + " to " + (int) MAX_FPS + ", got " + fps);
    }
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
}
