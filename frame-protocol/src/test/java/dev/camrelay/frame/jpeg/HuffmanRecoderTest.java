package dev.camrelay.frame.jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HuffmanRecoderTest {

  @ParameterizedTest
  @ValueSource(strings = {"baseline-420.jpg", "baseline-422.jpg", "camera-800x600-1.jpg", "large-1600x1200.jpg",
      "tiny-8x8.jpg", "exif-thumbnail.jpg", "comment-with-ffd9.jpg", "recoder/ffmpeg-optimal-444.jpg"})
  void ffmpegOptimalHuffmanFramesAreRecodedToTheSamePixels(String name) throws Exception {
    assertRecodedLosslessly(Fixtures.bytes(name));
  }

  @Test
  void imageIoOptimizedFramesAreRecodedToTheSamePixels() throws Exception {
    assertRecodedLosslessly(JpegPixels.encode(333, 211, BufferedImage.TYPE_INT_RGB, true, 0));
  }

  @Test
  void aFlatImageTheWorstCaseForGrowthStaysWithinTheBound() throws Exception {
    byte[] in = JpegPixels.encode(640, 480, BufferedImage.TYPE_BYTE_GRAY, true, 0, 0.75f, false, true);
    JpegFrame out = assertRecodedLosslessly(in);
    assertThat(out.size()).isGreaterThan(2 * in.length).isLessThan(4 * in.length);
  }

  @Test
  void restartMarkersSurviveRecodingWithTheSameInterval() throws Exception {
    byte[] in = JpegPixels.encode(200, 120, BufferedImage.TYPE_INT_RGB, true, 3);
    JpegFrame out = assertRecodedLosslessly(in);
    assertThat(count(out.toByteArray(), 0xDD)).isEqualTo(1);
    assertThat(restartMarkers(out.toByteArray())).isEqualTo(restartMarkers(in)).isGreaterThan(8);
  }

  @Test
  void greyscaleFramesAreRecodedToTheSamePixels() throws Exception {
    assertRecodedLosslessly(JpegPixels.encode(150, 97, BufferedImage.TYPE_BYTE_GRAY, true, 0));
    assertRecodedLosslessly(JpegPixels.encode(64, 64, BufferedImage.TYPE_BYTE_GRAY, true, 5));
  }

  @Test
  void framesWithTheStandardTablesComeBackAsTheSameObject() throws Exception {
    // ffmpeg falls back to the standard tables when it encodes in slices (and then writes restart markers)
    for (byte[] jpeg : new byte[][] {Fixtures.bytes("restart-markers.jpg"),
        Fixtures.bytes("recoder/ffmpeg-sliced-422-restart.jpg"),
        JpegPixels.encode(120, 80, BufferedImage.TYPE_INT_RGB, false, 0)}) {
      JpegFrame frame = JpegFrame.parse(jpeg);
      assertThat(StandardHuffman.usesStandardTables(frame)).isTrue();
      assertThat(HuffmanRecoder.toStandardTables(frame)).isSameAs(frame);
    }
  }

  @Test
  void progressiveFramesAreRefusedWithAReason() throws Exception {
    JpegFrame frame = JpegFrame.parse(Fixtures.bytes("progressive.jpg"));
    assertThatThrownBy(() -> HuffmanRecoder.toStandardTables(frame))
        .isInstanceOf(JpegFormatException.class).hasMessageContaining("progressive");
  }

  @Test
  void aScanCutShortIsRefusedAsCorrupt() throws Exception {
    byte[] in = Fixtures.bytes("baseline-420.jpg");
    byte[] cut = Fixtures.concat(Arrays.copyOf(in, in.length / 2), new byte[] {(byte) 0xFF, (byte) 0xD9});
    JpegFrame frame = JpegFrame.parse(cut);
    assertThatThrownBy(() -> HuffmanRecoder.toStandardTables(frame))
        .isInstanceOf(JpegFormatException.class).hasMessageContaining("inside block");
  }

  @ParameterizedTest
  @CsvSource({
      "C9, 0, 8, arithmetic-coded",
      "C1, 0, 8, extended sequential",
      "C3, 0, 8, lossless",
      "C0, 0, 12, 12-bit",
      "C0, 1, 8, height 0"})
  void framesOutsideBaselineAreRefusedWithAReason(String sof, int zeroHeight, int precision, String reason)
      throws Exception {
    byte[] b = Fixtures.bytes("baseline-420.jpg");
    int at = indexOf(b, 0xC0);
    b[at + 1] = (byte) Integer.parseInt(sof, 16);
    b[at + 4] = (byte) precision;
    if (zeroHeight == 1) {
      b[at + 5] = 0;
      b[at + 6] = 0;
    }
    JpegFrame frame = JpegFrame.parse(b);
    assertThatThrownBy(() -> HuffmanRecoder.toStandardTables(frame))
        .isInstanceOf(JpegFormatException.class).hasMessageContaining(reason);
  }

  @Test
  void aMissingRestartMarkerIsRefused() throws Exception {
    byte[] in = JpegPixels.encode(64, 32, BufferedImage.TYPE_INT_RGB, true, 2);
    int rst = indexOf(in, 0xD1);
    byte[] cut = Fixtures.concat(Arrays.copyOf(in, rst), Arrays.copyOfRange(in, rst + 2, in.length));
    JpegFrame frame = JpegFrame.parse(cut);
    assertThatThrownBy(() -> HuffmanRecoder.toStandardTables(frame))
        .isInstanceOf(JpegFormatException.class).hasMessageContaining("expected restart marker FF D1");
  }

  @Test
  void nonInterleavedScansAreRefused() throws Exception {
    // A scan header that lists only the first of three components: a multi-scan (non-interleaved) frame.
    byte[] b = Fixtures.bytes("baseline-420.jpg");
    int sos = indexOf(b, 0xDA);
    byte[] oneComponentSos = Fixtures.hex("ffda 0008 01 0100 003f00");
    int sosEnd = sos + 2 + (((b[sos + 2] & 0xFF) << 8) | (b[sos + 3] & 0xFF));
    JpegFrame frame = JpegFrame.parse(Fixtures.concat(Arrays.copyOf(b, sos), oneComponentSos,
        Arrays.copyOfRange(b, sosEnd, b.length)));
    assertThatThrownBy(() -> HuffmanRecoder.toStandardTables(frame))
        .isInstanceOf(JpegFormatException.class).hasMessageContaining("single-scan");
  }

  /** The bytes before the scan header, without the DHT segments. */
  private static byte[] headersWithoutDht(byte[] jpeg) {
    byte[] b = StandardHuffmanTest.withoutSegments(jpeg, 0xC4);
    return Arrays.copyOf(b, indexOf(b, 0xDA));
  }

  /** Offset of the first FF xx marker with code {@code code}. */
  private static int indexOf(byte[] b, int code) {
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == (byte) 0xFF && (b[i + 1] & 0xFF) == code) {
        return i;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(code));
  }

  static JpegFrame assertRecodedLosslessly(byte[] in) throws Exception {
    JpegFrame frame = JpegFrame.parse(in);
    assertThat(StandardHuffman.usesStandardTables(frame)).as("input uses standard tables").isFalse();
    JpegFrame out = HuffmanRecoder.toStandardTables(frame);
    assertThat(out).isNotSameAs(frame);
    JpegFrame.parse(out.toByteArray());
    assertThat(StandardHuffman.usesStandardTables(out)).isTrue();
    assertThat(HuffmanRecoder.toStandardTables(out)).isSameAs(out);
    assertThat(JpegPixels.rgb(out.toByteArray())).isEqualTo(JpegPixels.rgb(in));
    assertThat(headersWithoutDht(out.toByteArray())).as("every other segment kept as it was")
        .isEqualTo(headersWithoutDht(in));
    return out;
  }

  private static int count(byte[] b, int code) {
    int n = 0;
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == (byte) 0xFF && (b[i + 1] & 0xFF) == code) {
        n++;
      }
    }
    return n;
  }

  private static int restartMarkers(byte[] b) {
    int n = 0;
    for (int c = 0xD0; c <= 0xD7; c++) {
      n += count(b, c);
    }
    return n;
  }
}
