package dev.camrelay.frame.jpeg;

import java.util.Arrays;

/**
 * One Huffman table as a DHT segment defines it (BITS: 16 code counts per length, then HUFFVAL: the symbols
 * in code order), with the canonical codes of T.81 Annex C built for decoding and for encoding.
 *
 * <p>Decoding looks the next {@value #LOOKAHEAD} bits up in a table (almost every code is that short) and
 * falls back to comparing against the largest code of each longer length (T.81 F.2.2.3).
 */
final class HuffmanTable {
  static final int LOOKAHEAD = 9;

  private final byte[] body; // BITS(16) + HUFFVAL, as in the DHT segment
  private final int[] lookup = new int[1 << LOOKAHEAD]; // next 9 bits -> (length << 8) | symbol; 0: longer code
  private final int[] maxCode = new int[17]; // largest code of each length, -1 if none
  private final int[] valueOffset = new int[17]; // index into values of a code of length l = code + offset[l]
  private final byte[] values;
  private final int[] codes = new int[256]; // symbol -> code
  private final byte[] lengths = new byte[256]; // symbol -> code length, 0 when the symbol has no code

  private HuffmanTable(byte[] body) throws JpegFormatException {
    this.body = body;
    this.values = Arrays.copyOfRange(body, 16, body.length);
    int code = 0;
    int k = 0;
    for (int len = 1; len <= 16; len++) {
      int count = body[len - 1] & 0xFF;
      maxCode[len] = -1;
      if (count > 0) {
        valueOffset[len] = k - code;
      }
      for (int i = 0; i < count; i++, k++, code++) {
        if (code >= (1 << len)) {
          throw new JpegFormatException("Huffman table has more codes of length " + len + " than fit");
        }
        int symbol = values[k] & 0xFF;
        if (lengths[symbol] == 0) {
          codes[symbol] = code;
          lengths[symbol] = (byte) len;
        }
        if (len <= LOOKAHEAD) {
          int first = code << (LOOKAHEAD - len);
          Arrays.fill(lookup, first, first + (1 << (LOOKAHEAD - len)), (len << 8) | symbol);
        }
        maxCode[len] = code;
      }
      code <<= 1;
    }
  }

  /** A table from its BITS and HUFFVAL arrays (for the built-in standard tables, which are valid). */
  static HuffmanTable of(byte[] bits, byte[] huffval) {
    byte[] body = new byte[16 + huffval.length];
    System.arraycopy(bits, 0, body, 0, 16);
    System.arraycopy(huffval, 0, body, 16, huffval.length);
    try {
      return new HuffmanTable(body);
    } catch (JpegFormatException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * Reads one table from a DHT segment: {@code b[pos]} is the first BITS byte (just after Tc/Th). Returns the
   * table; its {@link #bodyLength()} says how many bytes it took.
   */
  static HuffmanTable read(byte[] b, int pos, int end) throws JpegFormatException {
    if (pos + 16 > end) {
      throw new JpegFormatException("DHT segment ends inside the code counts of a table at offset " + pos);
    }
    int count = 0;
    for (int i = 0; i < 16; i++) {
      count += b[pos + i] & 0xFF;
    }
    if (count > 256) { // an empty table is allowed (libjpeg does too); using it fails as an undefined code
      throw new JpegFormatException("Huffman table at offset " + pos + " has " + count + " codes (at most 256)");
    }
    if (pos + 16 + count > end) {
      throw new JpegFormatException("DHT segment ends inside the symbols of a table at offset " + pos);
    }
    return new HuffmanTable(Arrays.copyOfRange(b, pos, pos + 16 + count));
  }

  /** BITS followed by HUFFVAL (a copy). */
  byte[] body() {
    return body.clone();
  }

  int bodyLength() {
    return body.length;
  }

  boolean sameAs(HuffmanTable other) {
    return Arrays.equals(body, other.body);
  }

  /** Lookup entry for the next {@value #LOOKAHEAD} bits: {@code (length << 8) | symbol}, or 0. */
  int lookup(int nextBits) {
    return lookup[nextBits];
  }

  /** Largest code of length {@code len} (10..16), -1 if none. */
  int maxCode(int len) {
    return maxCode[len];
  }

  /** The symbol of {@code code}, a code of length {@code len} with {@code code <= maxCode(len)}. */
  int symbol(int len, int code) {
    int i = code + valueOffset[len];
    return i >= 0 && i < values.length ? values[i] & 0xFF : -1;
  }

  int code(int symbol) {
    return codes[symbol];
  }

  /** Code length of {@code symbol}, 0 when the table has no code for it. */
  int length(int symbol) {
    return lengths[symbol];
  }
}
