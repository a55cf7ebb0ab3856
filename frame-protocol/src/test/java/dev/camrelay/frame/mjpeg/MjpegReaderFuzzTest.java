package dev.camrelay.frame.mjpeg;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.camrelay.frame.jpeg.CollectingListener;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.util.Arrays;
import java.util.Random;

class MjpegReaderFuzzTest {
  private static final int[] MAXIMA = {4, 300, 5000, 1 << 20};

  /**
   * Any body, cut into any chunks: only MjpegFormatException escapes, only valid JPEGs within the limit come out,
   * the buffer stays within the limit, and the chunking does not change the outcome.
   */
  @FuzzTest(maxDuration = "30s")
  void readerEmitsOnlyValidBoundedFramesWhateverTheBody(byte[] input) throws Exception {
    Random random = new Random(Arrays.hashCode(input));
    int max = MAXIMA[random.nextInt(MAXIMA.length)];
    String boundary = random.nextBoolean() ? "b" : "123456789000000000000987654321";

    CollectingListener whole = new CollectingListener();
    String wholeError = run(new MjpegReader(boundary, max, whole), input, input.length, random, max);
    CollectingListener chunked = new CollectingListener();
    String chunkedError = run(new MjpegReader(boundary, max, chunked), input, 1 + random.nextInt(700), random, max);

    assertThat(chunkedError).isEqualTo(wholeError);
    assertThat(chunked.frames).isEqualTo(whole.frames);
    assertThat(chunked.discards).isEqualTo(whole.discards);
    for (JpegFrame f : chunked.frames) {
      assertThat(f.size()).isLessThanOrEqualTo(max);
      JpegFrame.parse(f.toByteArray());
    }
  }

  private static String run(MjpegReader r, byte[] input, int maxChunk, Random random, int max) {
    try {
      int pos = 0;
      while (pos < input.length) {
        int n = Math.min(input.length - pos, 1 + random.nextInt(maxChunk));
        r.feed(input, pos, n);
        assertThat(r.bufferCapacity()).isLessThanOrEqualTo(max);
        pos += n;
      }
      r.endOfStream();
      return null;
    } catch (MjpegFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      return e.getMessage();
    }
  }

  /** boundaryOf fails only with MjpegFormatException and never returns an unusable boundary. */
  @FuzzTest(maxDuration = "10s")
  void boundaryOfFailsCleanly(byte[] header) {
    String contentType = new String(header, java.nio.charset.StandardCharsets.ISO_8859_1);
    try {
      String b = MjpegReader.boundaryOf(contentType);
      assertThat(b.replaceFirst("^-+", "")).isNotEmpty();
    } catch (MjpegFormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
