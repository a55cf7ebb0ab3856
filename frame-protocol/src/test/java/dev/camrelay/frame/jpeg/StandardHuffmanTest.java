package dev.camrelay.frame.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;
import org.junit.jupiter.api.Test;

class StandardHuffmanTest {

  @Test
  void theTablesAreTheJdksAnnexKTables() {
    assertThat(StandardHuffman.table(0, 0)).isEqualTo(body(JPEGHuffmanTable.StdDCLuminance));
    assertThat(StandardHuffman.table(0, 1)).isEqualTo(body(JPEGHuffmanTable.StdDCChrominance));
    assertThat(StandardHuffman.table(1, 0)).isEqualTo(body(JPEGHuffmanTable.StdACLuminance));
    assertThat(StandardHuffman.table(1, 1)).isEqualTo(body(JPEGHuffmanTable.StdACChrominance));
  }

  @Test
  void theStandardAcTablesCodeEveryBaselineSymbolAndTheDcTablesEveryCategory() {
    for (int id = 0; id <= 1; id++) {
      HuffmanTable ac = StandardHuffman.huffmanTable(StandardHuffman.AC, id);
      int symbols = 0;
      for (int rs = 0; rs < 256; rs++) {
        int s = rs & 15;
        boolean baseline = (s >= 1 && s <= 10) || rs == 0x00 || rs == 0xF0;
        assertThat(ac.length(rs) > 0).as("AC %d symbol %02x", id, rs).isEqualTo(baseline);
        symbols += baseline ? 1 : 0;
      }
      assertThat(symbols).isEqualTo(162);
      HuffmanTable dc = StandardHuffman.huffmanTable(StandardHuffman.DC, id);
      for (int s = 0; s <= 11; s++) {
        assertThat(dc.length(s)).isPositive();
      }
    }
  }

  @Test
  void theDhtSegmentHoldsTheFourTablesInOneSegment() {
    byte[] dht = StandardHuffman.dhtSegment();
    assertThat(dht[0] & 0xFF).isEqualTo(0xFF);
    assertThat(dht[1] & 0xFF).isEqualTo(0xC4);
    assertThat(((dht[2] & 0xFF) << 8 | (dht[3] & 0xFF)) + 2).isEqualTo(dht.length).isEqualTo(2 + 2 + 4 * 17 + 12 + 12 + 162 + 162);
  }

  @Test
  void aBaselineFrameWithoutDhtCountsAsStandard() throws Exception {
    byte[] jpeg = JpegPixels.encode(32, 32, BufferedImage.TYPE_INT_RGB, false, 0);
    JpegFrame withoutDht = JpegFrame.parse(withoutSegments(jpeg, 0xC4));
    assertThat(StandardHuffman.usesStandardTables(withoutDht)).isTrue();
    assertThat(HuffmanRecoder.toStandardTables(withoutDht)).isSameAs(withoutDht);
  }

  @Test
  void swappedTableSelectorsAreNotStandardAndTheRecoderFixesThem() throws Exception {
    // Swapping ids 0 and 1 in the DHT and in the scan header keeps the frame decodable, but puts the luminance
    // tables at id 1: an RFC 2435 receiver (tables fixed by id) would decode garbage.
    byte[] jpeg = JpegPixels.encode(48, 32, BufferedImage.TYPE_INT_RGB, false, 0);
    byte[] swapped = swapTableIds(jpeg);
    JpegFrame frame = JpegFrame.parse(swapped);
    assertThat(StandardHuffman.usesStandardTables(frame)).isFalse();
    JpegFrame out = HuffmanRecoder.toStandardTables(frame);
    assertThat(StandardHuffman.usesStandardTables(out)).isTrue();
    assertThat(JpegPixels.rgb(out.toByteArray())).isEqualTo(JpegPixels.rgb(jpeg));
  }

  private static byte[] body(JPEGHuffmanTable t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (short n : t.getLengths()) {
      out.write(n);
    }
    for (short v : t.getValues()) {
      out.write(v);
    }
    return out.toByteArray();
  }

  /** The JPEG without its segments of marker {@code code} (before the scan). */
  static byte[] withoutSegments(byte[] jpeg, int code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    int pos = 2;
    for (;;) {
      int c = jpeg[pos + 1] & 0xFF;
      int len = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
      if (c == 0xDA) {
        out.write(jpeg, pos, jpeg.length - pos);
        return out.toByteArray();
      }
      if (c != code) {
        out.write(jpeg, pos, 2 + len);
      }
      pos += 2 + len;
    }
  }

  /** Renames table ids 0 and 1 in every DHT and in the scan header, so the same tables sit at swapped ids. */
  private static byte[] swapTableIds(byte[] jpeg) {
    byte[] b = jpeg.clone();
    int pos = 2;
    for (;;) {
      int c = b[pos + 1] & 0xFF;
      int len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      if (c == 0xC4) {
        for (int t = pos + 4; t < pos + 2 + len; ) {
          b[t] ^= 1;
          int count = 0;
          for (int i = 1; i <= 16; i++) {
            count += b[t + i] & 0xFF;
          }
          t += 17 + count;
        }
      } else if (c == 0xDA) {
        int ns = b[pos + 4] & 0xFF;
        for (int i = 0; i < ns; i++) {
          b[pos + 6 + 2 * i] ^= 0x11;
        }
        return b;
      }
      pos += 2 + len;
    }
  }
}
