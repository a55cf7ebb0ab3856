package dev.camrelay.frame.jpeg;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The four "typical" Huffman tables of the JPEG standard (ITU-T T.81 Annex K.3, also printed in RFC 2435
 * Appendix B) and the check whether a frame uses them the way an RFC 2435 (RTP/JPEG) receiver assumes.
 *
 * <p>RTP/JPEG carries only the entropy-coded data; the receiver rebuilds the JPEG headers itself, always with
 * these tables and always with the same assignment:
 *
 * <pre>
 *   table        class/id   used by (scan component)
 *   DC luminance   DC 0     the first component (Y)
 *   AC luminance   AC 0     the first component (Y)
 *   DC chrominance DC 1     every other component (Cb, Cr)
 *   AC chrominance AC 1     every other component (Cb, Cr)
 * </pre>
 *
 * <p>A frame whose scan data was coded with anything else must be re-coded first ({@link HuffmanRecoder}).
 */
public final class StandardHuffman {
  /** Table class of DC tables in a DHT segment (the high nibble of Tc/Th). */
  static final int DC = 0;
  /** Table class of AC tables. */
  static final int AC = 1;

  private static final byte[] DC_LUMINANCE_BITS = bytes(0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
  private static final byte[] DC_LUMINANCE_VALUES = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  private static final byte[] DC_CHROMINANCE_BITS = bytes(0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0);
  private static final byte[] DC_CHROMINANCE_VALUES = DC_LUMINANCE_VALUES;
  private static final byte[] AC_LUMINANCE_BITS = bytes(0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d);
  private static final byte[] AC_LUMINANCE_VALUES = bytes(
      0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
      0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
      0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
      0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
      0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
      0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
      0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
      0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
      0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
      0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
      0xf9, 0xfa);
  private static final byte[] AC_CHROMINANCE_BITS = bytes(0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77);
  private static final byte[] AC_CHROMINANCE_VALUES = bytes(
      0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
      0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
      0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
      0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
      0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
      0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
      0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
      0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
      0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
      0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
      0xf9, 0xfa);

  private static final HuffmanTable[][] TABLES = {
      {HuffmanTable.of(DC_LUMINANCE_BITS, DC_LUMINANCE_VALUES), HuffmanTable.of(DC_CHROMINANCE_BITS, DC_CHROMINANCE_VALUES)},
      {HuffmanTable.of(AC_LUMINANCE_BITS, AC_LUMINANCE_VALUES), HuffmanTable.of(AC_CHROMINANCE_BITS, AC_CHROMINANCE_VALUES)}
  };

  private static final byte[] DHT_ALL = dht(true);
  private static final byte[] DHT_LUMINANCE = dht(false);

  private StandardHuffman() {}

  /**
   * The standard table of class {@code tableClass} (0 DC, 1 AC) and id {@code id} (0 luminance, 1 chrominance)
   * as BITS (16 counts of codes per length 1..16) followed by HUFFVAL, i.e. a DHT table body without its Tc/Th
   * byte.
   */
  public static byte[] table(int tableClass, int id) {
    return TABLES[tableClass][id].body();
  }

  /**
   * One complete DHT marker segment ({@code FF C4 ...}) with all four standard tables: DC 0, AC 0, DC 1, AC 1.
   * What an RFC 2435 receiver puts into the JPEG it rebuilds. A fresh copy on each call.
   */
  public static byte[] dhtSegment() {
    return DHT_ALL.clone();
  }

  /**
   * True when an RFC 2435 receiver, which always assumes the standard tables, would decode {@code frame}'s scan
   * data correctly: every DHT segment of the frame (in any scan) defines only ids 0 and 1 with exactly the
   * Annex K table for its class and id, and the first scan codes its first component with tables 0/0 and every
   * other component with tables 1/1. A frame without DHT segments counts as standard (the Motion-JPEG
   * convention: a decoder then uses exactly these tables).
   *
   * <p>Says nothing about the other RTP/JPEG limits (sampling, size, baseline); look at {@link JpegInfo} for
   * those. Reads only the marker segments and skips the entropy-coded data with a fast search for {@code FF}.
   */
  public static boolean usesStandardTables(JpegFrame frame) {
    byte[] b = frame.array();
    boolean firstScan = true;
    for (int pos = 2; pos + 4 <= b.length; ) {
      if (b[pos] != (byte) 0xFF) {
        return false; // cannot happen in a parsed frame
      }
      int code = b[pos + 1] & 0xFF;
      if (code == 0xFF) {
        pos++;
        continue;
      }
      if (code == 0xD9) {
        break;
      }
      if (code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
        pos += 2;
        continue;
      }
      int len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      int body = pos + 4;
      int end = pos + 2 + len;
      if (end > b.length) {
        return false;
      }
      if (code == 0xC4 && !dhtIsStandard(b, body, end)) {
        return false;
      }
      if (code == 0xDA) {
        if (firstScan && !scanSelectorsAreStandard(b, body, end)) {
          return false;
        }
        firstScan = false;
        end = JpegSegments.endOfEntropyData(b, end);
      }
      pos = end;
    }
    return true;
  }

  private static boolean dhtIsStandard(byte[] b, int pos, int end) {
    while (pos < end) {
      int tc = (b[pos] & 0xFF) >> 4;
      int th = b[pos] & 0x0F;
      if (tc > 1 || th > 1 || pos + 17 > end) {
        return false;
      }
      byte[] std = TABLES[tc][th].body();
      int count = 0;
      for (int i = 1; i <= 16; i++) {
        count += b[pos + i] & 0xFF;
      }
      int n = 16 + count;
      if (n != std.length || pos + 1 + n > end || !Arrays.equals(b, pos + 1, pos + 1 + n, std, 0, n)) {
        return false;
      }
      pos += 1 + n;
    }
    return true;
  }

  private static boolean scanSelectorsAreStandard(byte[] b, int pos, int end) {
    int ns = b[pos] & 0xFF;
    if (pos + 1 + 2 * ns > end) {
      return false;
    }
    for (int i = 0; i < ns; i++) {
      int tables = b[pos + 2 + 2 * i] & 0xFF;
      if (tables != (i == 0 ? 0x00 : 0x11)) {
        return false;
      }
    }
    return true;
  }

  /** The decode/encode table for standard class and id (0 luminance, 1 chrominance). */
  static HuffmanTable huffmanTable(int tableClass, int id) {
    return TABLES[tableClass][id];
  }

  /** The standard DHT segment for a scan of {@code components} components (luminance tables only for one). */
  static byte[] dhtSegmentFor(int components) {
    return components == 1 ? DHT_LUMINANCE : DHT_ALL;
  }

  private static byte[] dht(boolean withChrominance) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int id = 0; id <= (withChrominance ? 1 : 0); id++) {
      for (int tc = DC; tc <= AC; tc++) {
        body.write(tc << 4 | id);
        body.writeBytes(TABLES[tc][id].body());
      }
    }
    int len = body.size() + 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xC4);
    out.write(len >> 8);
    out.write(len & 0xFF);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
