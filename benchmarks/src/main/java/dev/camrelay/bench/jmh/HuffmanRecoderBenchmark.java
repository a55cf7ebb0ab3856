package dev.camrelay.bench.jmh;

import dev.camrelay.frame.jpeg.HuffmanRecoder;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.StandardHuffman;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link HuffmanRecoder#toStandardTables} on an 800x600 camera-like frame of about 35 KB coded with
 * image-specific ("optimal") Huffman tables, like ffmpeg's MJPEG encoder writes by default: the full re-coding
 * path (entropy decode and re-encode of every symbol, one output array). {@code passThrough} is the same call on
 * the frame with the standard tables, i.e. the cost of the check alone (what ESP32 frames pay).
 *
 * <p>Read the {@code bytes} secondary result: input bytes per second (JMH prints it as "ops/s"); divide by 10^6
 * for MB/s per core. The frame is drawn by {@link JpegSplitterBenchmark#cameraFrame} and re-encoded by ImageIO
 * with optimized tables at setup, so no fixture file is needed.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HuffmanRecoderBenchmark -wi 2 -i 3 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HuffmanRecoderBenchmark {
  private JpegFrame optimal;
  private JpegFrame standard;

  /** Input bytes processed, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long bytes;
    public long frames;
  }

  @Setup(Level.Trial)
  public void makeFrames() throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(JpegSplitterBenchmark.cameraFrame(0)));
    optimal = JpegFrame.parse(encode(img, 0.6f, true));
    standard = JpegFrame.parse(encode(img, 0.6f, false));
    if (StandardHuffman.usesStandardTables(optimal) || !StandardHuffman.usesStandardTables(standard)) {
      throw new IllegalStateException("benchmark frames do not have the intended tables");
    }
    int recoded = HuffmanRecoder.toStandardTables(optimal).size();
    System.out.printf("%n# optimal-table frame: %d bytes, re-coded: %d bytes (+%.1f%%); standard-table frame: %d"
        + " bytes%n", optimal.size(), recoded, 100.0 * (recoded - optimal.size()) / optimal.size(), standard.size());
  }

  /** The frame with image-specific tables (after {@link #makeFrames}). */
  JpegFrame optimal() {
    return optimal;
  }

  /** The same picture with the standard tables (after {@link #makeFrames}). */
  JpegFrame standard() {
    return standard;
  }

  /** Re-codes the optimal-table frame to the standard tables. */
  @Benchmark
  public JpegFrame recode(Counters counters) throws JpegFormatException {
    counters.bytes += optimal.size();
    counters.frames++;
    return HuffmanRecoder.toStandardTables(optimal);
  }

  /** The same call on a frame that already has the standard tables: the check, no copy. */
  @Benchmark
  public JpegFrame passThrough(Counters counters) throws JpegFormatException {
    counters.bytes += standard.size();
    counters.frames++;
    return HuffmanRecoder.toStandardTables(standard);
  }

  private static byte[] encode(BufferedImage img, float quality, boolean optimize) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      JPEGImageWriteParam p = new JPEGImageWriteParam(null);
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      p.setOptimizeHuffmanTables(optimize);
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
