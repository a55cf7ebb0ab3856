package dev.camrelay.frame.rtp;

import java.util.Arrays;

/**
 * The example Huffman tables of JPEG Annex K (ITU T.81 K.3), which every RFC 2435 receiver puts into the JPEG it
 * rebuilds: DC and AC for luminance (table 0) and chrominance (table 1). Each table as it appears in a DHT segment:
 * 16 code-length counts, then the symbol values.
 */
final class StandardHuffmanTables {
  private StandardHuffmanTables() {}

  static final byte[] DC_LUMINANCE = hex("00010501010101010100000000000000" + "000102030405060708090a0b");
  static final byte[] DC_CHROMINANCE = hex("00030101010101010101010000000000" + "000102030405060708090a0b");
  static final byte[] AC_LUMINANCE = hex("0002010303020403050504040000017d"
      + "01020300041105122131410613516107227114328191a1082342b1c11552d1f0"
      + "2433627282090a161718191a25262728292a3435363738393a434445464748494a"
      + "535455565758595a636465666768696a737475767778797a838485868788898a"
      + "92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6"
      + "c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa");
  static final byte[] AC_CHROMINANCE = hex("00020102040403040705040400010277"
      + "000102031104052131061241510761711322328108144291a1b1c109233352f0"
      + "156272d10a162434e125f11718191a262728292a35363738393a434445464748"
      + "494a535455565758595a636465666768696a737475767778797a828384858687"
      + "88898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3"
      + "c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa");

  /**
   * The standard table for class {@code tableClass} (0 DC, 1 AC) and id {@code id} (0 luminance, 1 chrominance),
   * or null for other ids (which RFC 2435 receivers never define).
   */
  static byte[] of(int tableClass, int id) {
    if (id > 1) {
      return null;
    }
    if (tableClass == 0) {
      return id == 0 ? DC_LUMINANCE : DC_CHROMINANCE;
    }
    return id == 0 ? AC_LUMINANCE : AC_CHROMINANCE;
  }

  /** Whether {@code b[from, from + table.length)} equals {@code table}. */
  static boolean matches(byte[] table, byte[] b, int from, int end) {
    return table != null && end - from >= table.length
        && Arrays.equals(table, 0, table.length, b, from, from + table.length);
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s, 2 * i, 2 * i + 2, 16);
    }
    return out;
  }
}
