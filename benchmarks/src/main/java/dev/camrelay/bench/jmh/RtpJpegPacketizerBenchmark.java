package dev.camrelay.bench.jmh;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.StandardHuffman;
import dev.camrelay.frame.rtp.RtpJpegException;
import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.frame.rtp.RtpJpegPayloads;
import java.util.concurrent.TimeUnit;
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
 * Throughput of {@link RtpJpegPacketizer#packetize} with 1400-byte payloads (the relay's RTSP setting) on the
 * 800x600 camera-like frame of {@link HuffmanRecoderBenchmark} (about 35 KB, 4:2:0): {@code standardTables} is the
 * path of ESP32 frames (the header check, then the scan copied into the payloads behind their RFC 2435 headers);
 * {@code optimalTables} adds the lossless re-coding to the standard Huffman tables that ffmpeg-made frames need. The
 * relay does this once per camera frame, whatever the number of RTSP clients.
 *
 * <p>Read the {@code bytes} secondary result: input JPEG bytes per second (JMH prints it as "ops/s"); divide by 10^6
 * for MB/s per core.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RtpJpegPacketizerBenchmark -wi 2 -i 3 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RtpJpegPacketizerBenchmark {
  private final RtpJpegPacketizer packetizer = new RtpJpegPacketizer(RtpJpegPacketizer.DEFAULT_PAYLOAD_BYTES);
  private JpegFrame standard;
  private JpegFrame optimal;

  @Setup(Level.Trial)
  public void makeFrames() throws Exception {
    HuffmanRecoderBenchmark frames = new HuffmanRecoderBenchmark();
    frames.makeFrames();
    standard = frames.standard();
    optimal = frames.optimal();
    if (!StandardHuffman.usesStandardTables(standard) || StandardHuffman.usesStandardTables(optimal)) {
      throw new IllegalStateException("benchmark frames do not have the intended tables");
    }
    RtpJpegPayloads p = packetizer.packetize(standard);
    System.out.printf("%n# standard-table frame: %d bytes -> %d payloads, %d bytes%n", standard.size(), p.count(),
        p.totalBytes());
  }

  /** Cuts a frame that already has the standard tables: its scan goes out byte for byte. */
  @Benchmark
  public RtpJpegPayloads standardTables(HuffmanRecoderBenchmark.Counters counters) throws RtpJpegException {
    counters.bytes += standard.size();
    counters.frames++;
    return packetizer.packetize(standard);
  }

  /** Re-codes a frame with image-specific tables to the standard ones, then cuts it. */
  @Benchmark
  public RtpJpegPayloads optimalTables(HuffmanRecoderBenchmark.Counters counters) throws RtpJpegException {
    counters.bytes += optimal.size();
    counters.frames++;
    return packetizer.packetize(optimal);
  }
}
