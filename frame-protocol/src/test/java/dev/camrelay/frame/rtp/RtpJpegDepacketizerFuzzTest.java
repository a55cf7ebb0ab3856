package dev.camrelay.frame.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;

/**
 * Fuzz test of the RTP/JPEG depacketizer. In a normal build it replays the committed corpus in
 * {@code src/test/resources/dev/camrelay/frame/rtp/RtpJpegDepacketizerFuzzTestInputs/<method>/}; see FUZZING.md.
 *
 * <p>The input is a sequence of packet records: {@code flags(1) length(2, big-endian) payload(length)}, where
 * flags bit 0 is the RTP marker bit and bit 1 moves to the next RTP timestamp before this packet.
 */
class RtpJpegDepacketizerFuzzTest {
  private static final int MAX = 64 * 1024;

  /** Any packets: push never throws, and every frame it returns is a valid JPEG of bounded size. */
  @FuzzTest(maxDuration = "30s")
  void depacketizerReturnsOnlyValidBoundedFrames(byte[] input) throws JpegFormatException {
    RtpJpegDepacketizer d = new RtpJpegDepacketizer(MAX);
    long timestamp = 0;
    long frames = 0;
    int pos = 0;
    while (pos + 3 <= input.length) {
      int flags = input[pos] & 0xFF;
      int len = Math.min(((input[pos + 1] & 0xFF) << 8) | (input[pos + 2] & 0xFF), input.length - pos - 3);
      if ((flags & 2) != 0) {
        timestamp++;
      }
      JpegFrame f = d.push(input, pos + 3, len, (flags & 1) != 0, timestamp);
      if (f != null) {
        frames++;
        JpegFrame.parse(f.toByteArray());
        assertThat(f.size()).isLessThanOrEqualTo(MAX + 2048);
      }
      pos += 3 + len;
    }
    assertThat(d.framesCompleted()).isEqualTo(frames);
    assertThat(d.framesDropped() == 0 || d.lastDropReason() != null).isTrue();
  }
}
