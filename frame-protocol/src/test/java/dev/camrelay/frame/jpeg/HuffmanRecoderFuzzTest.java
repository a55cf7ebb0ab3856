package dev.camrelay.frame.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz test of the Huffman re-coder. In a normal build it replays the committed corpus in
 * {@code src/test/resources/dev/camrelay/frame/jpeg/HuffmanRecoderFuzzTestInputs/<method>/}; see FUZZING.md.
 */
class HuffmanRecoderFuzzTest {

  /**
   * Whatever the (structurally valid) frame: the re-coder either refuses it with a JpegFormatException that
   * says why, or returns a valid frame with the standard tables, within the size bound, that it leaves alone
   * when asked again.
   */
  @FuzzTest(maxDuration = "30s")
  void recoderReturnsAStandardFrameOrRefusesClearly(byte[] input) {
    JpegFrame frame;
    try {
      frame = JpegFrame.parse(input);
    } catch (JpegFormatException notAJpeg) {
      return;
    }
    JpegFrame out;
    try {
      out = HuffmanRecoder.toStandardTables(frame);
    } catch (JpegFormatException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    try {
      JpegFrame.parse(out.toByteArray());
      assertThat(StandardHuffman.usesStandardTables(out)).isTrue();
      assertThat((long) out.size()).isLessThanOrEqualTo(4L * input.length + 65536);
      assertThat(HuffmanRecoder.toStandardTables(out)).isSameAs(out);
    } catch (JpegFormatException e) {
      throw new AssertionError("the re-coded frame is not valid: " + e.getMessage(), e);
    }
  }
}
