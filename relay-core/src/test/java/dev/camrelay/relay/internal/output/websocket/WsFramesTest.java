package dev.camrelay.relay.internal.output.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.testing.TestJpegs;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The WebSocket encoding of a frame: exact header bytes. */
class WsFramesTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JpegFrame jpeg(int n) throws Exception {
    return JpegFrame.parse(TestJpegs.frame(n));
  }

  private static String head(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.duplicate().get(out);
    return HEX.formatHex(out);
  }

  /** A structurally complete 29-byte JPEG: SOI, SOF0 (1x1, one component), SOS, one data byte, EOI. */
  private static final String TINY = "ffd8" + "ffc0000b080001000101011100" + "ffda000801010000003f00" + "00" + "ffd9";

  private static JpegFrame tiny() throws Exception {
    return JpegFrame.parse(HEX.parseHex(TINY));
  }

  @Test
  void headerIsFinBinaryWithTheShortestLengthEncoding() throws Exception {
    ByteBuffer small = WsFrames.binary(tiny());
    assertThat(head(small, small.remaining())).isEqualTo("821d" + TINY);

    JpegFrame medium = jpeg(1); // a few KB: 16-bit length
    assertThat(medium.size()).isBetween(126, 0xFFFF);
    ByteBuffer m = WsFrames.binary(medium);
    assertThat(m.remaining()).isEqualTo(4 + medium.size());
    assertThat(head(m, 4)).isEqualTo("827e" + String.format("%04x", medium.size()));

    JpegFrame big = JpegFrame.parse(TestJpegs.bigFrame(1, 320, 240)); // > 64 KB: 64-bit length
    assertThat(big.size()).isGreaterThan(0xFFFF);
    ByteBuffer b = WsFrames.binary(big);
    assertThat(head(b, 10)).isEqualTo("827f" + String.format("%016x", big.size()));
    assertThat(b.remaining()).isEqualTo(10 + big.size());
  }
}
