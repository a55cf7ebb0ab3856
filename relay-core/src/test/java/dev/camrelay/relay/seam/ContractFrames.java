package dev.camrelay.relay.seam;

import dev.camrelay.relay.testing.TestJpegs;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real, pairwise distinct JPEGs for the contract tests, made once per JVM, and the order they were published in:
 * {@link #indexOf} says which published frame a received one is, byte for byte, or -1 if it is none of them (cut
 * short, padded, mixed up).
 */
final class ContractFrames {
  /** Noise-filled frames of at least {@value #BIG_MIN_BYTES} bytes: each fills the relay's socket buffers many times. */
  static final int BIG_MIN_BYTES = 200 * 1024;

  private final List<byte[]> frames;
  private final Map<ByteBuffer, Integer> index = new HashMap<>();

  ContractFrames(List<byte[]> frames) {
    this.frames = List.copyOf(frames);
    for (int i = 0; i < this.frames.size(); i++) {
      if (index.put(ByteBuffer.wrap(this.frames.get(i)), i) != null) {
        throw new IllegalArgumentException("frame " + i + " is not distinct");
      }
    }
  }

  /** {@code count} big frames (numbers {@code first}..): noise, 640x400, each at least 200 KB. */
  static ContractFrames big(int first, int count) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(Cache.big(first + i));
    }
    return new ContractFrames(list);
  }

  /** {@code count} frames of varied sizes: small, medium and big ones in turn. */
  static ContractFrames varied(int count) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(switch (i % 3) {
        case 0 -> TestJpegs.frame(5000 + i);
        case 1 -> TestJpegs.frame(5000 + i, 640, 480);
        default -> Cache.big(i);
      });
    }
    return new ContractFrames(list);
  }

  /** A small frame that is none of the big or varied ones (number >= 100000), e.g. a marker. */
  static byte[] small(int number) {
    return TestJpegs.frame(100_000 + number);
  }

  byte[] get(int i) {
    return frames.get(i);
  }

  int size() {
    return frames.size();
  }

  byte[] last() {
    return frames.get(frames.size() - 1);
  }

  int indexOf(byte[] received) {
    return index.getOrDefault(ByteBuffer.wrap(received), -1);
  }

  /** Big frames are slow to make; the tests share them. */
  private static final class Cache {
    private static final Map<Integer, byte[]> BIG = new HashMap<>();

    static synchronized byte[] big(int number) {
      return BIG.computeIfAbsent(number, n -> {
        byte[] jpeg = TestJpegs.bigFrame(n, 640, 400);
        if (jpeg.length < BIG_MIN_BYTES) {
          throw new IllegalStateException("big frame " + n + " has only " + jpeg.length + " bytes");
        }
        return jpeg;
      });
    }
  }
}
