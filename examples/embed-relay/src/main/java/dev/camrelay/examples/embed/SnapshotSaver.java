package dev.camrelay.examples.embed;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.FrameListener;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frame listener that saves each camera's picture every N seconds and logs when the picture changes a lot.
 * Change detection decodes at most a few frames per second per camera, shrinks them to a 32x24 grayscale thumbnail
 * and compares the mean absolute difference with the previous thumbnail (0 = identical, 255 = black vs white).
 */
final class SnapshotSaver implements FrameListener {
  private static final Logger log = LoggerFactory.getLogger(SnapshotSaver.class);
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
  private static final int THUMB_W = 32;
  private static final int THUMB_H = 24;
  private static final long ANALYZE_EVERY_NANOS = Duration.ofMillis(250).toNanos();

  private final Path folder;
  private final long saveEveryNanos;
  private final int changeThreshold;
  private final Map<String, CameraState> cameras = new ConcurrentHashMap<>();
  private final AtomicInteger saved = new AtomicInteger();
  private final AtomicInteger changes = new AtomicInteger();

  private static final class CameraState {
    long lastSaved = Long.MIN_VALUE;
    long lastAnalyzed = Long.MIN_VALUE;
    int[] thumbnail;
  }

  SnapshotSaver(Path folder, Duration saveEvery, int changeThreshold) {
    this.folder = folder;
    this.saveEveryNanos = saveEvery.toNanos();
    this.changeThreshold = changeThreshold;
  }

  @Override
  public void onFrame(String cameraId, JpegFrame frame) {
    CameraState state = cameras.computeIfAbsent(cameraId, id -> new CameraState());
    long now = System.nanoTime();
    synchronized (state) {
      if (state.lastSaved == Long.MIN_VALUE || now - state.lastSaved >= saveEveryNanos) {
        state.lastSaved = now;
        save(cameraId, frame);
      }
      if (state.lastAnalyzed == Long.MIN_VALUE || now - state.lastAnalyzed >= ANALYZE_EVERY_NANOS) {
        state.lastAnalyzed = now;
        analyze(cameraId, frame, state);
      }
    }
  }

  private void save(String cameraId, JpegFrame frame) {
    Path file = folder.resolve(cameraId + "-" + LocalDateTime.now().format(NAME) + ".jpg");
    try (OutputStream out = Files.newOutputStream(file)) {
      frame.writeTo(out);
      saved.incrementAndGet();
      log.info("saved {} ({} bytes)", file, frame.size());
    } catch (IOException e) {
      log.warn("cannot save {}: {}", file, e.getMessage());
    }
  }

  private void analyze(String cameraId, JpegFrame frame, CameraState state) {
    int[] thumb;
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.toByteArray()));
      if (image == null) {
        return; // a JPEG variant ImageIO cannot decode (e.g. CMYK); nothing to compare
      }
      thumb = thumbnail(image);
    } catch (IOException e) {
      log.debug("camera '{}': cannot decode a frame: {}", cameraId, e.getMessage());
      return;
    }
    if (state.thumbnail != null) {
      int difference = meanAbsoluteDifference(state.thumbnail, thumb);
      if (difference >= changeThreshold) {
        changes.incrementAndGet();
        log.info("camera '{}': picture changed a lot (difference {} of 255)", cameraId, difference);
      }
    }
    state.thumbnail = thumb;
  }

  /** Snapshots saved so far. */
  int saved() {
    return saved.get();
  }

  /** Big picture changes seen so far. */
  int changes() {
    return changes.get();
  }

  static int[] thumbnail(BufferedImage image) {
    BufferedImage small = new BufferedImage(THUMB_W, THUMB_H, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, THUMB_W, THUMB_H, null);
    g.dispose();
    return small.getRaster().getPixels(0, 0, THUMB_W, THUMB_H, (int[]) null);
  }

  static int meanAbsoluteDifference(int[] a, int[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return (int) (sum / a.length);
  }
}
