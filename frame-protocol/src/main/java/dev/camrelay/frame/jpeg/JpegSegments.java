package dev.camrelay.frame.jpeg;

import dev.camrelay.frame.internal.ByteScan;

/** Small helpers for walking the marker segments of a frame that {@link JpegFrame#parse} already validated. */
final class JpegSegments {
  private JpegSegments() {}

  /**
   * Index of the {@code FF} that starts the marker ending the entropy-coded data that begins at {@code from}:
   * the first {@code FF xx} that is neither a stuffed {@code FF 00} nor a restart marker {@code FF D0..D7}
   * (fill bytes {@code FF FF} count as the start of that marker). {@code b.length} when there is none.
   */
  static int endOfEntropyData(byte[] b, int from) {
    int pos = from;
    for (;;) {
      int ff = ByteScan.indexOfFF(b, pos, b.length);
      if (ff < 0 || ff + 1 >= b.length) {
        return b.length;
      }
      int c = b[ff + 1] & 0xFF;
      if (c == 0x00 || (c & 0xF8) == 0xD0) {
        pos = ff + 2;
      } else {
        return ff;
      }
    }
  }

  /**
   * Index of the {@code FF} of the first marker (anything but a stuffed {@code FF 00}, so restart markers too)
   * in {@code b[from, to)}; {@code to} when there is none.
   */
  static int nextMarker(byte[] b, int from, int to) {
    int pos = from;
    for (;;) {
      int ff = ByteScan.indexOfFF(b, pos, to);
      if (ff < 0 || ff + 1 >= to) {
        return to;
      }
      if (b[ff + 1] != 0) {
        return ff;
      }
      pos = ff + 2;
    }
  }

  /** Big-endian 16-bit value at {@code pos}. */
  static int u16(byte[] b, int pos) {
    return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
  }
}
