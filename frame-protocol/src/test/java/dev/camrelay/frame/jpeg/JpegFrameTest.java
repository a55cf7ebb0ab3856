package dev.camrelay.frame.jpeg;

import static dev.camrelay.frame.jpeg.Fixtures.concat;
import static dev.camrelay.frame.jpeg.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class JpegFrameTest {
  static java.util.List<String> fixtures() {
    return Fixtures.ALL;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void parseAcceptsEveryFixtureAndKeepsItsBytes(String name) throws Exception {
    byte[] jpeg = Fixtures.bytes(name);
    JpegFrame frame = JpegFrame.parse(jpeg);
    assertThat(frame.size()).isEqualTo(jpeg.length);
    assertThat(frame.toByteArray()).isEqualTo(jpeg);
    assertThat(frame.byteAt(0)).isEqualTo((byte) 0xFF);
    assertThat(frame.byteAt(jpeg.length - 1)).isEqualTo((byte) 0xD9);
  }

  @Test
  void parseKeepsTheArrayWithoutCopying() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    JpegFrame frame = JpegFrame.parse(jpeg);
    jpeg[100] ^= 1; // the contract forbids this; it proves no copy was made
    assertThat(frame.byteAt(100)).isEqualTo(jpeg[100]);
  }

  @Test
  void byteBufferViewIsReadOnlyAndCoversTheWholeFrame() throws Exception {
    JpegFrame frame = JpegFrame.parse(Fixtures.bytes("tiny-8x8.jpg"));
    ByteBuffer view = frame.asByteBuffer();
    assertThat(view.position()).isZero();
    assertThat(view.limit()).isEqualTo(frame.size());
    assertThat(view.isReadOnly()).isTrue();
    assertThatThrownBy(() -> view.put(0, (byte) 0)).isInstanceOf(ReadOnlyBufferException.class);
  }

  @Test
  void toByteArrayReturnsACopyTheCallerMayChange() throws Exception {
    JpegFrame frame = JpegFrame.parse(Fixtures.bytes("tiny-8x8.jpg"));
    byte[] copy = frame.toByteArray();
    copy[0] = 0;
    assertThat(frame.byteAt(0)).isEqualTo((byte) 0xFF);
  }

  @Test
  void writeToWritesExactlyTheFrame() throws Exception {
    byte[] jpeg = Fixtures.bytes("baseline-420.jpg");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JpegFrame.parse(jpeg.clone()).writeTo(out);
    assertThat(out.toByteArray()).isEqualTo(jpeg);
  }

  @Test
  void framesWithEqualBytesAreEqual() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    assertThat(JpegFrame.parse(jpeg.clone())).isEqualTo(JpegFrame.parse(jpeg.clone()))
        .hasSameHashCodeAs(JpegFrame.parse(jpeg.clone()));
  }

  @Test
  void parseRejectsBytesWithoutSoiAndSaysWhatItSaw() {
    assertThatThrownBy(() -> JpegFrame.parse("GET / HTTP/1.1".getBytes()))
        .isInstanceOf(JpegFormatException.class)
        .hasMessage("no SOI marker at offset 0 (saw 47 45)");
    assertThatThrownBy(() -> JpegFrame.parse(new byte[0]))
        .hasMessage("no SOI marker at offset 0 (saw no bytes)");
  }

  @Test
  void parseRejectsTrailingBytesEvenZeroPadding() {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    assertThatThrownBy(() -> JpegFrame.parse(concat(jpeg, new byte[3])))
        .isInstanceOf(JpegFormatException.class)
        .hasMessage("3 trailing bytes after the EOI at offset " + (jpeg.length - 2)
            + " (00 00 00); a JpegFrame holds exactly one JPEG");
  }

  @Test
  void parseRejectsTwoConcatenatedJpegs() {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    assertThatThrownBy(() -> JpegFrame.parse(concat(jpeg, jpeg)))
        .hasMessageStartingWith(jpeg.length + " trailing bytes after the EOI");
  }

  @Test
  void parseRejectsAFrameCutShortByANewSoi() {
    byte[] jpeg = Fixtures.bytes("baseline-420.jpg");
    byte[] cut = Arrays.copyOf(jpeg, 5000);
    assertThatThrownBy(() -> JpegFrame.parse(concat(cut, jpeg)))
        .hasMessage("SOI marker at offset 5000 inside the image (a second JPEG, or this one was cut short)");
  }

  @Test
  void parseRejectsATruncatedJpegAndSaysWhereItEnded() {
    byte[] jpeg = Fixtures.bytes("baseline-420.jpg");
    assertThatThrownBy(() -> JpegFrame.parse(Arrays.copyOf(jpeg, jpeg.length - 2)))
        .hasMessage("truncated JPEG: " + (jpeg.length - 2) + " bytes end inside the entropy-coded data of scan 1");
    assertThatThrownBy(() -> JpegFrame.parse(Arrays.copyOf(jpeg, 10)))
        .hasMessage("truncated JPEG: 10 bytes end inside segment FF E0 (10 more bytes expected)");
  }

  @Test
  void parseRejectsAnInvalidMarkerWithItsOffset() {
    byte[] jpeg = hex("ffd8 ff05 0004 0000 ffd9");
    assertThatThrownBy(() -> JpegFrame.parse(jpeg)).hasMessage("invalid marker FF 05 at offset 2");
  }

  @Test
  void parseRejectsASegmentLengthBelowTwo() {
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffe0 0001 ffd9")))
        .hasMessage("segment FF E0 has length 1 (< 2) at offset 2");
  }

  @Test
  void parseRejectsAFrameHeaderWithAnImpossibleLength() {
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffc0 0009 080008000801 ffd9")))
        .hasMessage("frame header FF C0 has length 9 (must be 8 + 3 * components) at offset 2");
  }

  @Test
  void parseRejectsHeadersWhoseComponentCountDisagreesWithTheirLength() {
    // Found by fuzzing: SOF0 of length 11 (room for one component) declaring zero components.
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffc0 000b 08 0008 0008 00 011100 ffd9")))
        .hasMessage("frame header FF C0 at offset 2 declares 0 components but its length 11 fits 1");
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffc0 000b 08 0008 0000 01 011100 ffd9")))
        .hasMessage("frame header FF C0 at offset 2 has width 0");
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffc0 000b 08 0008 0008 01 011100 ffda 0008 02 0100 003f00 12 ffd9")))
        .hasMessage("scan header FF DA at offset 15 declares 2 components but its length 8 fits 1");
  }

  @Test
  void parseRejectsAJpegWithoutAnyScan() {
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffd9")))
        .hasMessage("EOI at offset 2 before any scan (no SOS)");
  }

  @Test
  void parseRejectsAScanBeforeTheFrameHeader() {
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffda 0008 01 0100 003f00 12 ffd9")))
        .hasMessage("SOS at offset 2 before any frame header (no SOFn)");
  }

  @Test
  void parseRejectsRestartMarkersAndStuffingOutsideEntropyData() {
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ffd0 ffd9")))
        .hasMessage("restart marker FF D0 at offset 2 outside entropy-coded data");
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 ff00 ffd9")))
        .hasMessage("stuffed byte FF 00 at offset 2 outside entropy-coded data");
  }

  @Test
  void parseRejectsNonMarkerBytesBetweenSegments() {
    assertThatThrownBy(() -> JpegFrame.parse(hex("ffd8 fffe 0003 41 42 ffd9")))
        .hasMessage("expected a marker (FF xx) at offset 7, saw 42");
  }

  @Test
  void parseAcceptsFillBytesAndAMinimalSyntheticJpeg() throws Exception {
    byte[] minimal = Fixtures.syntheticJpeg(100);
    assertThat(JpegFrame.parse(minimal).size()).isEqualTo(100);
    byte[] filled = hex("ffd8 ffff ffc0 000b 08 0008 0008 01 011100 ffda 0008 01 0100 003f00 12 ff00 ffd0 34 ffff ffd9");
    assertThat(JpegFrame.parse(filled).size()).isEqualTo(filled.length);
  }
}
