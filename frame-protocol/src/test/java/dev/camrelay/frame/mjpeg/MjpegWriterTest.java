package dev.camrelay.frame.mjpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MjpegWriterTest {
  @Test
  void contentTypeNamesTheBoundary() {
    assertThat(new MjpegWriter(MjpegWriter.DEFAULT_BOUNDARY).contentType())
        .isEqualTo("multipart/x-mixed-replace; boundary=camrelayframe");
    assertThat(new MjpegWriter().boundary()).isEqualTo("camrelayframe");
  }

  @Test
  void partHeaderIsTheBoundaryLineContentTypeContentLengthAndABlankLine() {
    byte[] header = new MjpegWriter("camrelayframe").partHeader(12345);
    assertThat(new String(header, StandardCharsets.US_ASCII))
        .isEqualTo("--camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: 12345\r\n\r\n");
    assertThat(HexFormat.of().formatHex(new MjpegWriter("b").partHeader(0))).isEqualTo(
        "2d2d620d0a" + "436f6e74656e742d547970653a20696d6167652f6a7065670d0a"
            + "436f6e74656e742d4c656e6774683a20300d0a" + "0d0a");
  }

  @Test
  void partTrailerIsCrlf() {
    assertThat(HexFormat.of().formatHex(new MjpegWriter("b").partTrailer())).isEqualTo("0d0a");
  }

  @Test
  void aBodyIsPartsBackToBackStartingWithTheBoundary() throws Exception {
    JpegFrame tiny = JpegFrame.parse(Fixtures.bytes("tiny-8x8.jpg"));
    MjpegWriter w = new MjpegWriter("xyz");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.writePart(out, tiny);
    w.writePart(out, tiny);
    String head = "--xyz\r\nContent-Type: image/jpeg\r\nContent-Length: " + tiny.size() + "\r\n\r\n";
    byte[] one = Fixtures.concat(head.getBytes(StandardCharsets.US_ASCII), tiny.toByteArray(),
        "\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(out.toByteArray()).isEqualTo(Fixtures.concat(one, one));
  }

  @Test
  void advanceHeadersAreThePartHeaderWithoutContentLengthOnceThenAfterEveryJpeg() throws Exception {
    MjpegWriter w = new MjpegWriter("xyz");
    assertThat(new String(w.advanceHeader(), StandardCharsets.US_ASCII))
        .isEqualTo("--xyz\r\nContent-Type: image/jpeg\r\n\r\n");
    assertThat(new String(w.advanceTrailer(), StandardCharsets.US_ASCII))
        .isEqualTo("\r\n--xyz\r\nContent-Type: image/jpeg\r\n\r\n");
    // Callers get copies: changing one does not change the writer.
    w.advanceTrailer()[0] = 'X';
    w.advanceHeader()[0] = 'X';
    assertThat(w.advanceTrailer()[0]).isEqualTo((byte) '\r');
    assertThat(w.advanceHeader()[0]).isEqualTo((byte) '-');
  }

  @Test
  void boundariesOutsideRfc2046AreRejected() {
    assertThatThrownBy(() -> new MjpegWriter("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("boundary must be 1..70 characters, was \"\"");
    assertThatThrownBy(() -> new MjpegWriter("a b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("boundary \"a b\" has a character not allowed by RFC 2046 at index 1");
    assertThatThrownBy(() -> new MjpegWriter("x\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MjpegWriter("a".repeat(71))).isInstanceOf(IllegalArgumentException.class);
    assertThat(new MjpegWriter("123456789000000000000987654321").boundary()).hasSize(30);
  }

  @Test
  void negativeLengthsAreRejected() {
    assertThatThrownBy(() -> new MjpegWriter("b").partHeader(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
