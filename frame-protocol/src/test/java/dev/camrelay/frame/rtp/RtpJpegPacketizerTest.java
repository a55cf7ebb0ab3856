package dev.camrelay.frame.rtp;

import dev.camrelay.frame.jpeg.StandardHuffman;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;
import org.junit.jupiter.api.Test;

class RtpJpegPacketizerTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JpegFrame fixture(String name) throws Exception {
    return JpegFrame.parse(Fixtures.bytes(name));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** The fixture's bytes from just after its SOS segment (scanStart) to before the EOI. */
  private static byte[] scanData(String name, int scanStart) {
    byte[] jpeg = Fixtures.bytes(name);
    return Arrays.copyOfRange(jpeg, scanStart, jpeg.length - 2);
  }

  @Test
  void firstPayloadCarriesMainHeaderAndBothQuantizationTables() throws Exception {
    // standard-huffman-420.jpg: 320x240 4:2:0, one DQT table (id 0) used by all three components, SOS at 546.
    RtpJpegPayloads p = new RtpJpegPacketizer(1400).packetize(fixture("standard-huffman-420.jpg"));
    byte[] first = bytes(p.payload(0));
    assertEquals("00" + "000000" + "01" + "ff" + "28" + "1e", HEX.formatHex(first, 0, 8),
        "type-specific 0, offset 0, type 1 (4:2:0), Q 255, 40x30 blocks of 8 pixels");
    assertEquals("00" + "00" + "0080", HEX.formatHex(first, 8, 12), "MBZ, 8-bit precision, 128 bytes of tables");
    byte[] jpeg = Fixtures.bytes("standard-huffman-420.jpg");
    assertEquals("ffdb00430008", HEX.formatHex(jpeg, 0x26, 0x2c), "as hand-checked with xxd: DQT, table 0: 08 ..");
    byte[] dqt = Arrays.copyOfRange(jpeg, 0x2b, 0x2b + 64);
    assertArrayEquals(dqt, Arrays.copyOfRange(first, 12, 76), "luminance table");
    assertArrayEquals(dqt, Arrays.copyOfRange(first, 76, 140), "chrominance table (the same id 0 here)");
    assertEquals(1400, first.length);
    assertEquals(1, p.type());
    assertEquals(320, p.width());
    assertEquals(240, p.height());
  }

  @Test
  void laterPayloadsCarryTheFragmentOffsetAndNoTables() throws Exception {
    RtpJpegPayloads p = new RtpJpegPacketizer(1400).packetize(fixture("standard-huffman-420.jpg"));
    byte[] second = bytes(p.payload(1));
    int firstFragment = 1400 - 8 - 132;
    assertEquals(1260, firstFragment);
    assertEquals("00" + "0004ec" + "01" + "ff" + "28" + "1e", HEX.formatHex(second, 0, 8), "offset 1260 = 0x0004ec");
    byte[] third = bytes(p.payload(2));
    assertEquals("00" + "000a5c" + "01ff281e", HEX.formatHex(third, 0, 8), "offset 1260 + 1392 = 2652 = 0x000a5c");
  }

  @Test
  void fragmentsTogetherAreTheScanDataByteForByteWithoutTheEoi() throws Exception {
    byte[] scan = scanData("standard-huffman-420.jpg", 546 + 14);
    RtpJpegPayloads p = new RtpJpegPacketizer(1400).packetize(fixture("standard-huffman-420.jpg"));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < p.count(); i++) {
      byte[] payload = bytes(p.payload(i));
      assertTrue(payload.length <= 1400, "payload " + i + " fits");
      int header = i == 0 ? 8 + 132 : 8;
      joined.write(payload, header, payload.length - header);
    }
    assertArrayEquals(scan, joined.toByteArray());
    assertEquals((scan.length - 1260 + 1391) / 1392 + 1, p.count());
    assertEquals(p.count() * 8 + 132 + scan.length, p.totalBytes());
  }

  @Test
  void jpegWithRestartMarkersIsType65WithARestartHeaderInEveryPayload() throws Exception {
    // restart-markers.jpg (the JDK's encoder): DRI interval 4 MCUs, luminance table 0, chrominance table 1.
    JpegFrame frame = fixture("restart-markers.jpg");
    RtpJpegPayloads p = new RtpJpegPacketizer(600).packetize(frame);
    assertEquals(65, p.type());
    byte[] first = bytes(p.payload(0));
    assertEquals("00000000" + "41ff281e" + "0004ffff" + "00000080", HEX.formatHex(first, 0, 16),
        "type 65, restart interval 4, F=1 L=1 count 0x3FFF, then the table header");
    byte[] second = bytes(p.payload(1));
    assertEquals("00" + String.format("%06x", 600 - 12 - 132) + "41ff281e" + "0004ffff",
        HEX.formatHex(second, 0, 12));
    byte[] jpeg = frame.toByteArray();
    int dqt0 = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xDB}) + 5;
    assertEquals(0, jpeg[dqt0 - 1], "first DQT table has id 0");
    assertArrayEquals(Arrays.copyOfRange(jpeg, dqt0, dqt0 + 64), Arrays.copyOfRange(first, 16, 80));
    int dqt1 = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xDB}, dqt0) + 5;
    int chromaTable = dqt1 > 4 ? dqt1 : dqt0 + 65; // the second table, in its own segment or after the first
    assertEquals(1, jpeg[chromaTable - 1], "second DQT table has id 1");
    assertArrayEquals(Arrays.copyOfRange(jpeg, chromaTable, chromaTable + 64), Arrays.copyOfRange(first, 80, 144));
  }

  @Test
  void jpeg422IsType0() throws Exception {
    // Luminance sampled 2x1 (the ESP32's 4:2:2); the scan is not decoded, so patching the SOF is enough here.
    byte[] jpeg = Fixtures.bytes("standard-huffman-420.jpg");
    int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
    assertEquals(0x22, jpeg[sof + 11]);
    jpeg[sof + 11] = 0x21;
    RtpJpegPayloads p = new RtpJpegPacketizer(1400).packetize(JpegFrame.parse(jpeg));
    assertEquals(0, p.type());
    assertEquals("00000000" + "00ff281e", HEX.formatHex(bytes(p.payload(0)), 0, 8));
  }

  @Test
  void aSmallFrameFitsInOnePayload() throws Exception {
    JpegFrame frame = fixture("standard-huffman-420.jpg");
    RtpJpegPayloads p = new RtpJpegPacketizer(60_000).packetize(frame);
    assertEquals(1, p.count());
    assertEquals(8 + 132 + frame.size() - 560 - 2, p.length(0));
    assertFalse(p.recoded(), "standard tables go out as they are");
  }

  @Test
  void sizesUpTo2040PixelsAreCarriedAndLargerOnesRefused() throws Exception {
    RtpJpegPacketizer packetizer = new RtpJpegPacketizer(1400);
    RtpJpegPayloads p = packetizer.packetize(withSize("standard-huffman-420.jpg", 2040, 2033));
    assertEquals("ff" + "ff", HEX.formatHex(bytes(p.payload(0)), 6, 8), "255 blocks wide, 2033 rounds up to 255");
    assertEquals(2040, p.height());
    RtpJpegException e = assertThrows(RtpJpegException.class,
        () -> packetizer.packetize(withSize("standard-huffman-420.jpg", 2041, 240)));
    assertEquals("image 2041x240 is larger than RFC 2435's 2040x2040 pixels", e.getMessage());
  }

  @Test
  void framesRfc2435CannotCarryAreRefusedWithTheReason() throws Exception {
    RtpJpegPacketizer packetizer = new RtpJpegPacketizer(1400);
    assertRefused(packetizer, "progressive.jpg", "progressive JPEG (SOF2); RFC 2435 carries baseline (SOF0) only");
    assertRefused(packetizer, "grayscale.jpg",
        "grayscale JPEG (one component); RFC 2435 carries YCbCr with three components only");
    assertRefused(packetizer, "yuv444.jpg", "4:4:4 chroma sampling; RFC 2435 carries 4:2:0 and 4:2:2 only");
    byte[] luma2x2Chroma1x2 = Fixtures.bytes("standard-huffman-420.jpg"); // how ffmpeg writes yuvj422p
    int sof = indexOf(luma2x2Chroma1x2, new byte[] {(byte) 0xFF, (byte) 0xC0});
    luma2x2Chroma1x2[sof + 14] = 0x12;
    luma2x2Chroma1x2[sof + 17] = 0x12;
    RtpJpegException e = assertThrows(RtpJpegException.class,
        () -> packetizer.packetize(JpegFrame.parse(luma2x2Chroma1x2)));
    assertEquals("sampling factors 22 12 12; RFC 2435 carries 4:2:0 and 4:2:2 only", e.getMessage());
  }

  @Test
  void sixteenBitQuantizationTablesAreRefused() throws Exception {
    byte[] jpeg = Fixtures.bytes("standard-huffman-420.jpg");
    int dqt = 0x26; // FF DB 00 43 00 <64 bytes>
    assertEquals("ffdb004300", HEX.formatHex(jpeg, dqt, dqt + 5));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, dqt);
    out.write(HEX.parseHex("ffdb008310"));
    for (int i = 0; i < 64; i++) {
      out.write(0);
      out.write(jpeg[dqt + 5 + i]);
    }
    out.write(jpeg, dqt + 5 + 64, jpeg.length - dqt - 5 - 64);
    RtpJpegException e = assertThrows(RtpJpegException.class,
        () -> new RtpJpegPacketizer(1400).packetize(JpegFrame.parse(out.toByteArray())));
    assertEquals("16-bit quantization table 0; RFC 2435 in-band tables here are 8-bit only", e.getMessage());
  }

  @Test
  void standardHuffmanTablesAreThoseOfJpegAnnexK() {
    assertTable(JPEGHuffmanTable.StdDCLuminance, StandardHuffman.table(0, 0));
    assertTable(JPEGHuffmanTable.StdDCChrominance, StandardHuffman.table(0, 1));
    assertTable(JPEGHuffmanTable.StdACLuminance, StandardHuffman.table(1, 0));
    assertTable(JPEGHuffmanTable.StdACChrominance, StandardHuffman.table(1, 1));
  }

  @Test
  void huffmanCheckTellsStandardFromOptimalTables() throws Exception {
    assertTrue(RtpJpegPacketizer.usesStandardHuffmanTables(fixture("standard-huffman-420.jpg")));
    assertTrue(RtpJpegPacketizer.usesStandardHuffmanTables(fixture("restart-markers.jpg")), "the JDK's encoder");
    assertFalse(RtpJpegPacketizer.usesStandardHuffmanTables(fixture("baseline-420.jpg")), "ffmpeg's optimal tables");
    assertFalse(RtpJpegPacketizer.usesStandardHuffmanTables(fixture("camera-800x600-1.jpg")));
  }

  @Test
  void aJpegWithoutHuffmanTablesCountsAsStandard() throws Exception {
    byte[] jpeg = Fixtures.bytes("standard-huffman-420.jpg");
    int dht = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC4});
    int len = ((jpeg[dht + 2] & 0xFF) << 8) | (jpeg[dht + 3] & 0xFF);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, dht);
    out.write(jpeg, dht + 2 + len, jpeg.length - dht - 2 - len);
    JpegFrame withoutDht = JpegFrame.parse(out.toByteArray());
    assertTrue(RtpJpegPacketizer.usesStandardHuffmanTables(withoutDht));
    assertEquals(new RtpJpegPacketizer(1400).packetize(fixture("standard-huffman-420.jpg")).totalBytes(),
        new RtpJpegPacketizer(1400).packetize(withoutDht).totalBytes());
  }

  @Test
  void payloadSizeBelowTheHeadersIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RtpJpegPacketizer(100));
    assertEquals("maxPayloadBytes must be in 176..65523, got 100", e.getMessage());
  }

  private static void assertRefused(RtpJpegPacketizer packetizer, String fixture, String reason) {
    RtpJpegException e = assertThrows(RtpJpegException.class, () -> packetizer.packetize(fixture(fixture)), fixture);
    assertEquals(reason, e.getMessage(), fixture);
  }

  private static void assertTable(JPEGHuffmanTable expected, byte[] actual) {
    ByteArrayOutputStream dht = new ByteArrayOutputStream();
    for (short n : expected.getLengths()) {
      dht.write(n);
    }
    for (short v : expected.getValues()) {
      dht.write(v);
    }
    assertArrayEquals(dht.toByteArray(), actual);
  }

  /** The fixture with the frame header's width and height replaced (the scan is not decoded, so it still parses). */
  private static JpegFrame withSize(String name, int width, int height) throws Exception {
    byte[] jpeg = Fixtures.bytes(name);
    int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
    jpeg[sof + 5] = (byte) (height >> 8);
    jpeg[sof + 6] = (byte) height;
    jpeg[sof + 7] = (byte) (width >> 8);
    jpeg[sof + 8] = (byte) width;
    return JpegFrame.parse(jpeg);
  }

  private static int indexOf(byte[] b, byte[] what) {
    return indexOf(b, what, 0);
  }

  private static int indexOf(byte[] b, byte[] what, int after) {
    for (int i = after + 1; i + what.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aFrameWithOptimalHuffmanTablesIsReCodedAndSentWithTheStandardOnes() throws Exception {
    JpegFrame optimal = fixture("baseline-420.jpg"); // ffmpeg's default, image-specific tables
    assertFalse(RtpJpegPacketizer.usesStandardHuffmanTables(optimal));
    RtpJpegPayloads payloads = new RtpJpegPacketizer(1400).packetize(optimal);
    assertTrue(payloads.count() > 0);
    assertEquals(1, payloads.type(), "4:2:0");
    assertTrue(payloads.recoded(), "says it was re-coded");
  }
}
