package dev.camrelay.frame.sniff;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.camrelay.frame.sniff.StreamSniffer.Kind;

class StreamSnifferFuzzTest {
  /** Any first bytes get a verdict and a description; four bytes always decide; more bytes never change it. */
  @FuzzTest(maxDuration = "20s")
  void everyInputGetsAVerdictWithinFourBytes(byte[] input) {
    StreamSniffer.Result result = StreamSniffer.sniff(input, 0, input.length);
    assertThat(result.description()).isNotBlank();
    if (input.length >= StreamSniffer.MAX_BYTES_NEEDED) {
      assertThat(result.kind()).isNotEqualTo(Kind.NEED_MORE);
    }
    for (int n = 0; n <= Math.min(input.length, 8); n++) {
      Kind early = StreamSniffer.sniff(input, 0, n).kind();
      if (early != Kind.NEED_MORE) {
        assertThat(result.kind()).as("verdict after %d bytes", n).isEqualTo(early);
      }
    }
  }
}
