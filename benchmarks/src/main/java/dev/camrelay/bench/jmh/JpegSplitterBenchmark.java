package dev.camrelay.bench.jmh;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegSplitter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of {@link JpegSplitter} on a realistic camera stream: 64 different 800x600 JPEGs of 30–50 KB
 * (drawn and encoded at setup with the JDK's ImageIO, baseline 4:2:0 like an ESP32's OV2640), fed in chunks
 * the size of typical socket reads.
 *
 * <p>Read the {@code bytes} secondary result: it is input bytes per second (JMH prints it as "ops/s"); divide by
 * 10^6 for MB/s. {@code copyBaseline} is the same bytes copied once with System.arraycopy, the ceiling for any
 * splitter that hands out frames in their own arrays.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JpegSplitterBenchmark -wi 2 -i 3 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JpegSplitterBenchmark {
  private static final int FRAMES = 64;

  /** Bytes per feed() call: a TCP segment, a typical Netty read, a large read. */
  @Param({"1460", "16384", "65536"})
  public int chunkBytes;

  private byte[] stream;
  private int frameCount;
  private JpegSplitter splitter;
  private Blackhole sink;

  /** Input bytes processed, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long bytes;
    public long frames;
  }

  @Setup(Level.Trial)
  public void makeStream(Blackhole bh) {
    sink = bh;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < FRAMES; i++) {
      byte[] jpeg = cameraFrame(i);
      sizes.add(jpeg.length);
      out.writeBytes(jpeg);
    }
    stream = out.toByteArray();
    frameCount = FRAMES;
    int min = sizes.stream().mapToInt(Integer::intValue).min().orElseThrow();
    int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    System.out.printf("%n# stream: %d frames, %d bytes, frame sizes %d..%d bytes%n", FRAMES, stream.length, min, max);
    splitter = new JpegSplitter(JpegSplitter.DEFAULT_MAX_FRAME_BYTES, new JpegSplitter.Listener() {
      @Override
      public void onFrame(JpegFrame frame) {
        sink.consume(frame);
      }

      @Override
      public void onDiscard(JpegSplitter.Discard reason, long bytes, String detail) {
        throw new IllegalStateException("benchmark stream discarded: " + reason + " " + detail);
      }
    });
  }

  /** Splits the whole stream, fed in chunks of {@link #chunkBytes}. */
  @Benchmark
  public void split(Counters counters) {
    byte[] s = stream;
    int chunk = chunkBytes;
    for (int pos = 0; pos < s.length; pos += chunk) {
      splitter.feed(s, pos, Math.min(chunk, s.length - pos));
    }
    counters.bytes += s.length;
    counters.frames += frameCount;
  }

  /** Copies the stream in the same chunks: the cost of one copy per byte, for comparison. */
  @Benchmark
  public void copyBaseline(Counters counters, Blackhole bh) {
    byte[] s = stream;
    byte[] dst = new byte[s.length];
    int chunk = chunkBytes;
    for (int pos = 0; pos < s.length; pos += chunk) {
      System.arraycopy(s, pos, dst, pos, Math.min(chunk, s.length - pos));
    }
    bh.consume(dst);
    counters.bytes += s.length;
  }

  /** Validates one frame with JpegFrame.parse (what CameraRelay.publish does). */
  @Benchmark
  public void parseFrame(Counters counters, Blackhole bh) throws JpegFormatException {
    // The first frame of the stream, re-validated each time (parse keeps the array, so this does not copy).
    bh.consume(JpegFrame.parse(firstFrame()));
    counters.bytes += firstFrameLength;
    counters.frames++;
  }

  private byte[] firstFrame;
  private int firstFrameLength;

  private byte[] firstFrame() {
    if (firstFrame == null) {
      firstFrame = cameraFrame(0);
      firstFrameLength = firstFrame.length;
    }
    return firstFrame;
  }

  /** A camera-like frame: gradients, shapes, text and sensor noise, so its size and statistics are realistic. */
  public static byte[] cameraFrame(int index) {
    int w = 800;
    int h = 600;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(40, 70, 120), w, h, new Color(200, 180, 140)));
    g.fillRect(0, 0, w, h);
    Random r = new Random(index);
    for (int i = 0; i < 40; i++) {
      g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
      int x = (r.nextInt(w) + index * 7) % w;
      int y = r.nextInt(h);
      if (i % 3 == 0) {
        g.fillOval(x, y, 20 + r.nextInt(120), 20 + r.nextInt(120));
      } else if (i % 3 == 1) {
        g.fillRect(x, y, 20 + r.nextInt(150), 10 + r.nextInt(80));
      } else {
        g.setStroke(new BasicStroke(1 + r.nextInt(6)));
        g.drawLine(x, y, r.nextInt(w), r.nextInt(h));
      }
    }
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 36));
    g.drawString("camrelay frame " + index, 40, 60);
    g.dispose();
    for (int y = 0; y < h; y++) { // sensor noise: what makes real camera frames hard to compress
      for (int x = 0; x < w; x++) {
        int n = r.nextInt(17) - 8;
        int rgb = img.getRGB(x, y);
        int rr = clamp(((rgb >> 16) & 0xFF) + n);
        int gg = clamp(((rgb >> 8) & 0xFF) + n);
        int bb = clamp((rgb & 0xFF) + n);
        img.setRGB(x, y, (rr << 16) | (gg << 8) | bb);
      }
    }
    return encode(img, 0.55f);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static byte[] encode(BufferedImage img, float quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(img, null, null), p);
      } finally {
        writer.dispose();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
