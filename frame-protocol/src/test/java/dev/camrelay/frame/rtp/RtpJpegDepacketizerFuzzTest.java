package dev.camrelay.frame.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

class RtpJpegDepacketizerFuzzTest {
  /**
   * Any bytes cut into any payloads: only RtpJpegException escapes (with a reason), and what comes out is a JPEG
   * that parses.
   */
  @FuzzTest(maxDuration = "20s")
  void depacketizerFailsOnlyWithItsExceptionAndEmitsOnlyValidJpegs(byte[] input) throws Exception {
    Random random = new Random(Arrays.hashCode(input));
    RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
    int pos = 0;
    while (pos < input.length) {
      int n = Math.min(input.length - pos, 1 + random.nextInt(600));
      try {
        JpegFrame frame = depacketizer.accept(ByteBuffer.wrap(input, pos, n), random.nextInt(4) == 0);
        if (frame != null) {
          JpegFrame.parse(frame.toByteArray());
        }
      } catch (RtpJpegException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
      pos += n;
    }
  }
}
