package dev.camrelay.frame.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Random;

/**
 * Fuzz tests of the JPEG side. In a normal build they replay the committed corpus in
 * {@code src/test/resources/dev/camrelay/frame/jpeg/JpegSplitterFuzzTestInputs/<method>/}; see FUZZING.md for
 * fuzzing sessions.
 */
class JpegSplitterFuzzTest {
  private static final int[] MAXIMA = {4, 64, 300, 5000, JpegSplitter.DEFAULT_MAX_FRAME_BYTES};

  /**
   * Any bytes, cut into any chunks: only valid frames within the size limit come out, the buffer never grows
   * past the limit, every byte is accounted for, and the result does not depend on the chunking.
   */
  @FuzzTest(maxDuration = "30s")
  void splitterEmitsOnlyValidBoundedFramesWhateverTheInput(byte[] input) throws Exception {
    Random random = new Random(Arrays.hashCode(input));
    int max = MAXIMA[random.nextInt(MAXIMA.length)];

    CollectingListener whole = new CollectingListener();
    JpegSplitter reference = new JpegSplitter(max, whole);
    reference.feed(input, 0, input.length);
    reference.endOfStream();

    CollectingListener chunked = new CollectingListener();
    JpegSplitter splitter = new JpegSplitter(max, chunked);
    int pos = 0;
    while (pos < input.length) {
      int n = Math.min(input.length - pos, 1 + random.nextInt(random.nextBoolean() ? 4 : 600));
      splitter.feed(input, pos, n);
      assertThat(splitter.bufferCapacity()).isLessThanOrEqualTo(max);
      pos += n;
    }
    splitter.endOfStream();

    assertThat(chunked.frames).isEqualTo(whole.frames);
    assertThat(chunked.discards).isEqualTo(whole.discards);
    assertThat(chunked.accountedBytes()).isEqualTo(input.length);
    for (JpegFrame f : chunked.frames) {
      assertThat(f.size()).isLessThanOrEqualTo(max);
      JpegFrame.parse(f.toByteArray()); // throws if the splitter emitted something invalid
      JpegInfo.of(f); // every valid frame has a frame header
    }
    assertThat(splitter.framesEmitted()).isEqualTo(chunked.frames.size());
  }

  /** JpegFrame.parse and JpegInfo.of throw nothing but JpegFormatException, whatever the bytes. */
  @FuzzTest(maxDuration = "30s")
  void parseAndInfoFailOnlyWithJpegFormatException(byte[] input) {
    JpegFrame frame;
    try {
      frame = JpegFrame.parse(input);
    } catch (JpegFormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return;
    }
    assertThat(frame.size()).isEqualTo(input.length);
    try {
      JpegInfo info = JpegInfo.of(frame);
      assertThat(info.width()).isBetween(0, 65535);
      assertThat(info.components()).isBetween(1, 255);
    } catch (JpegFormatException unexpected) {
      throw new AssertionError("a parsed frame has no frame header: " + unexpected.getMessage());
    }
  }
}
