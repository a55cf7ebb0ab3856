package dev.camrelay.bench.jmh;

import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Framed protocol v1 decode throughput: a stream of 35 KB FRAME messages fed to one {@link MessageDecoder} in 64 KB
 * chunks, as a socket read loop would. Scores are frames per second; bytes per second = score × 35,024 (24-byte
 * header + 35,000-byte payload). The decoder copies each payload once into an exact-size array (a message owns its
 * bytes), so this measures that copy plus the header work per frame.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WireDecode -wi 2 -i 3 -f 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireDecodeBenchmark {
  static final int FRAMES = 64;
  static final int PAYLOAD = 35_000;
  static final int CHUNK = 64 * 1024;

  private byte[] stream;
  private ByteBuffer directStream;
  private MessageDecoder heapDecoder;
  private MessageDecoder directDecoder;
  private Blackhole blackhole;

  @Setup
  public void setUp(Blackhole bh) {
    blackhole = bh;
    Random random = new Random(35);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < FRAMES; i++) {
      byte[] jpeg = new byte[PAYLOAD];
      random.nextBytes(jpeg);
      jpeg[0] = (byte) 0xFF;
      jpeg[1] = (byte) 0xD8;
      jpeg[PAYLOAD - 2] = (byte) 0xFF;
      jpeg[PAYLOAD - 1] = (byte) 0xD9;
      out.writeBytes(MessageEncoder.encode(Message.frame(i, i * 33_333L, jpeg)));
    }
    stream = out.toByteArray();
    directStream = ByteBuffer.allocateDirect(stream.length).put(stream).flip();
    heapDecoder = new MessageDecoder(MessageDecoder.DEFAULT_MAX_PAYLOAD, blackhole::consume);
    directDecoder = new MessageDecoder(MessageDecoder.DEFAULT_MAX_PAYLOAD, blackhole::consume);
  }

  /** Heap byte[] chunks, as from {@code InputStream.read(byte[])}. */
  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public long heapChunks() throws ProtocolException {
    for (int off = 0; off < stream.length; off += CHUNK) {
      heapDecoder.feed(stream, off, Math.min(CHUNK, stream.length - off));
    }
    return heapDecoder.messagesDecoded();
  }

  /** Direct ByteBuffer chunks, as from a {@code SocketChannel} or a Netty direct buffer. */
  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public long directChunks() throws ProtocolException {
    ByteBuffer all = directStream.duplicate();
    while (all.hasRemaining()) {
      ByteBuffer chunk = all.slice();
      chunk.limit(Math.min(CHUNK, chunk.remaining()));
      directDecoder.feed(chunk);
      all.position(all.position() + chunk.position());
    }
    return directDecoder.messagesDecoded();
  }
}
