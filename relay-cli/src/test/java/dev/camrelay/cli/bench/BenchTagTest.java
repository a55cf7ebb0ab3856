package dev.camrelay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BenchTagTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void tagIsByteForByteWhatBenchMjsWrites() {
    // Produced by bench.mjs's tag() under node 20 for the same input, seq 0x01020304, t 1700000000123.5.
    String fromNode = "ffd8fffe001643524231010203040000001f4278bcfe5687b800aabbccffd9";
    byte[] tagged = BenchTag.tag(HEX.parseHex("ffd8aabbccffd9"), 0x01020304, 1700000000123.5);
    assertThat(HEX.formatHex(tagged)).isEqualTo(fromNode);
  }

  @Test
  void readsBackSequenceLengthAndTime() {
    byte[] tagged = BenchTag.tag(HEX.parseHex("ffd8aabbccffd9"), 4_000_000_000L, 1234.25);
    ByteBuf buf = Unpooled.wrappedBuffer(tagged);
    BenchTag.Tag tag = BenchTag.read(buf);
    assertThat(tag).isEqualTo(new BenchTag.Tag(4_000_000_000L, tagged.length, 1234.25));
    assertThat(BenchTag.intact(buf, tag)).isTrue();
  }

  @Test
  void truncatedFrameIsNotIntact() {
    byte[] tagged = BenchTag.tag(HEX.parseHex("ffd8aabbccffd9"), 1, 1);
    ByteBuf cut = Unpooled.wrappedBuffer(tagged, 0, tagged.length - 1);
    assertThat(BenchTag.intact(cut, BenchTag.read(cut))).isFalse();
  }

  @Test
  void frameWithoutTagReadsAsNull() {
    assertThat(BenchTag.read(Unpooled.wrappedBuffer(HEX.parseHex("ffd8ffe000104a46494600010100000100010000ffd9"))))
        .isNull();
  }
}
