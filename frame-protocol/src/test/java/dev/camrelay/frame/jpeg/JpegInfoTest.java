package dev.camrelay.frame.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JpegInfoTest {
  /** Expected values verified once with ffprobe (width, height, pix_fmt) and a hexdump of each SOFn. */
  @ParameterizedTest
  @CsvSource({
      "baseline-420.jpg,       320,  240,  false, 3, 0xC0",
      "baseline-422.jpg,       320,  240,  false, 3, 0xC0",
      "grayscale.jpg,          320,  240,  false, 1, 0xC0",
      "progressive.jpg,        320,  240,  true,  3, 0xC2",
      "tiny-8x8.jpg,           8,    8,    false, 3, 0xC0",
      "large-1600x1200.jpg,    1600, 1200, false, 3, 0xC0",
      "exif-thumbnail.jpg,     320,  240,  false, 3, 0xC0",
      "restart-markers.jpg,    320,  240,  false, 3, 0xC0",
      "comment-with-ffd9.jpg,  320,  240,  false, 3, 0xC0",
      "camera-800x600-1.jpg,   800,  600,  false, 3, 0xC0",
  })
  void readsTheFrameHeaderOfEachFixture(String name, int width, int height, boolean progressive, int components,
      String sof) throws Exception {
    JpegInfo info = JpegInfo.of(JpegFrame.parse(Fixtures.bytes(name)));
    assertThat(info).isEqualTo(new JpegInfo(width, height, progressive, components, Integer.decode(sof)));
    assertThat(info.baseline()).isEqualTo(!progressive);
  }
}
