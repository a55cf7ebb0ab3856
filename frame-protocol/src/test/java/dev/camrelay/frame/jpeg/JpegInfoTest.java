package dev.camrelay.frame.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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

  static List<String> fixtures() {
    return Fixtures.ALL;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void agreesWithTheJdkImageReaderOnEveryFixture(String name) throws Exception {
    byte[] jpeg = Fixtures.bytes(name);
    JpegInfo info = JpegInfo.of(JpegFrame.parse(jpeg));
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      assertThat(info.width()).isEqualTo(reader.getWidth(0));
      assertThat(info.height()).isEqualTo(reader.getHeight(0));
      assertThat(info.components()).isEqualTo(reader.getRawImageType(0).getNumBands());
      reader.dispose();
    }
  }

  @Test
  void readsASyntheticMinimalJpeg() throws Exception {
    assertThat(JpegInfo.of(JpegFrame.parse(Fixtures.syntheticJpeg(64))))
        .isEqualTo(new JpegInfo(8, 8, false, 1, 0xC0));
  }
}
