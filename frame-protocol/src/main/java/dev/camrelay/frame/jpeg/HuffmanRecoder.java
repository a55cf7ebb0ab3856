package dev.camrelay.frame.jpeg;

import static dev.camrelay.frame.jpeg.JpegSegments.u16;

import java.util.Arrays;

/**
 * Re-codes a baseline JPEG's scan with the standard Huffman tables (T.81 Annex K), losslessly and without
 * decoding pixels: every Huffman symbol is decoded with the frame's own tables and written again with the
 * standard code for the same symbol; the extra bits that follow each symbol (the coefficient values) are
 * copied unchanged. The quantized DCT coefficients, and so the decoded pixels, stay bit-for-bit the same.
 *
 * <p>Why: RTP/JPEG (RFC 2435) does not carry Huffman tables; receivers always assume the standard ones.
 * Frames from the ESP32's encoder already use them; ffmpeg's MJPEG encoder (default {@code -huffman
 * optimal}), libjpeg with {@code optimize_coding} and several IP cameras do not.
 *
 * <pre>
 *  in:  SOI  APPn  DQT  SOF0  DHT(own)  [DRI]  SOS(tables i/j)  scan coded with own tables     EOI
 *  out: SOI  APPn  DQT  SOF0            [DRI]  DHT(Annex K)  SOS(Y 0/0, Cb Cr 1/1)  scan coded with
 *                                                            the Annex K tables, same RSTn   EOI
 *
 *  per block:  DC: code(size) + size bits  -&gt;  standard code(size) + the same bits
 *              AC: code(run/size) + size bits ... EOB  -&gt;  standard codes, the same bits
 * </pre>
 *
 * <p>Every valid baseline scan can be re-coded: the standard DC tables code all 12 difference categories
 * (0..11) and the standard AC tables all 162 run/size symbols (runs 0..15 with sizes 1..10, EOB, ZRL), which
 * is every symbol a baseline 8-bit scan may use. A symbol outside that set is corrupt data and refused.
 *
 * <p>Kept: every segment before the scan except the DHT segments (APPn, COM, DQT, SOF0, DRI), in their order;
 * the restart interval and its RSTn markers (renumbered from D0, as they should be). Dropped: the frame's own
 * DHT segments, extraneous bytes before a marker inside the scan (decoders skip them too). The scan is
 * written with the first component on tables 0/0 and the others on tables 1/1, which is what RFC 2435
 * receivers assume. The output is byte-stuffed and padded with 1-bits before each RSTn and at the end.
 *
 * <p>Limits, each refused with a {@link JpegFormatException} that says why: only baseline sequential frames
 * (SOF0, 8-bit), 1 to 3 components with any sampling factors SOF0 allows (at most 10 blocks per MCU), exactly
 * one scan holding every component (so no non-interleaved multi-scan baseline), a known height (no DNL);
 * progressive, lossless, arithmetic-coded, extended 12-bit and CMYK frames are refused. Scan data that ends
 * before the frame's declared number of blocks, holds an undefined code or a missing/misnumbered RSTn is
 * refused as corrupt.
 *
 * <p>Bounded work: the number of blocks decoded is the one the frame header declares and never more; each
 * block consumes at least two bits of real scan data or the frame is refused, so corrupt input cannot loop.
 * The output is refused when it would exceed {@code 4 * input + 64 KiB} bytes. Measured growth (frame
 * sizes, including the 420-byte standard DHT): ffmpeg frames at {@code -q:v 3..5} +13–17%, ImageIO's optimized
 * tables +10%, ffmpeg's lowest quality ({@code -q:v 31}) +63%, a flat grey image (the worst case: 1-bit codes
 * become 2- and 4-bit ones) 2.9 times.
 *
 * <p>Stateless and thread-safe. Cost: one pass over the scan, one output array of about the output size; no
 * pixel decoding. See {@code HuffmanRecoderBenchmark} (about 900 frames/s of 800x600 × 36 KB per core measured
 * on a 2-core machine under a load of 11, so several times that on an idle core).
 */
public final class HuffmanRecoder {
  private static final int MAX_BLOCKS_PER_MCU = 10;

  private HuffmanRecoder() {}

  /**
   * {@code frame} itself when it {@link StandardHuffman#usesStandardTables uses the standard tables}
   * already; otherwise a new frame whose scan is coded with them and decodes to exactly the same pixels.
   *
   * @throws JpegFormatException when the frame is not a single-scan baseline JPEG of 1–3 components, or its
   *     scan data is corrupt; the message says which and where
   */
  public static JpegFrame toStandardTables(JpegFrame frame) throws JpegFormatException {
    Headers h = Headers.read(frame.array());
    if (StandardHuffman.usesStandardTables(frame)) {
      return frame;
    }
    return new JpegFrame(new Recoding(frame.array(), h).run());
  }

  /** What the segments before the scan say, checked against the limits above. */
  private static final class Headers {
    int width;
    int height;
    int components;
    final int[] ids = new int[3];
    final int[] h = new int[3];
    final int[] v = new int[3];
    int hMax;
    int vMax;
    int restartInterval;
    final HuffmanTable[][] tables = new HuffmanTable[2][4];
    final HuffmanTable[] dc = new HuffmanTable[3];
    final HuffmanTable[] ac = new HuffmanTable[3];
    int sosStart; // offset of the SOS's FF
    int scanStart; // first byte of entropy-coded data
    int scanEnd; // offset of the FF of the marker after the scan (EOI)
    final int[] keptStart = new int[64];
    final int[] keptEnd = new int[64];
    int kept;

    static Headers read(byte[] b) throws JpegFormatException {
      Headers hd = new Headers();
      hd.parse(b);
      return hd;
    }

    private void parse(byte[] b) throws JpegFormatException {
      boolean sawSof = false;
      int pos = 2;
      for (;;) {
        if (pos + 4 > b.length || b[pos] != (byte) 0xFF) {
          throw new JpegFormatException("expected a marker segment at offset " + pos);
        }
        int code = b[pos + 1] & 0xFF;
        if (code == 0xFF) {
          pos++;
          continue;
        }
        if (code == 0x01) {
          pos += 2;
          continue;
        }
        int len = u16(b, pos + 2);
        int body = pos + 4;
        int end = pos + 2 + len;
        if (len < 2 || end > b.length) {
          throw new JpegFormatException("segment " + marker(code) + " at offset " + pos + " runs past the frame");
        }
        if (code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC) {
          readSof(b, code, pos, body, end);
          sawSof = true;
        } else if (code == 0xC4) {
          readDht(b, body, end);
        } else if (code == 0xCC) {
          throw new JpegFormatException("arithmetic-coding conditioning (DAC, FF CC) at offset " + pos
              + ": only Huffman-coded baseline JPEGs can be re-coded");
        } else if (code == 0xDD) {
          restartInterval = u16(b, body);
        } else if (code == 0xDA) {
          if (!sawSof) {
            throw new JpegFormatException("SOS at offset " + pos + " before any frame header");
          }
          sosStart = pos;
          scanStart = end;
          readSos(b, pos, body, end);
          break;
        }
        if (code != 0xC4) {
          if (kept == keptStart.length) {
            throw new JpegFormatException("more than " + keptStart.length + " segments before the scan");
          }
          keptStart[kept] = pos;
          keptEnd[kept] = end;
          kept++;
        }
        pos = end;
      }
      scanEnd = JpegSegments.endOfEntropyData(b, scanStart);
      int after = scanEnd;
      while (after + 1 < b.length && b[after + 1] == (byte) 0xFF) {
        after++;
      }
      if (after + 1 >= b.length || b[after + 1] != (byte) 0xD9) {
        String what = after + 1 < b.length ? marker(b[after + 1] & 0xFF) : "the end";
        throw new JpegFormatException("the first scan is followed by " + what + " at offset " + after
            + ", not EOI: frames of several scans (DNL, non-interleaved or progressive) cannot be re-coded");
      }
    }

    private void readSof(byte[] b, int code, int pos, int body, int end) throws JpegFormatException {
      if (code != 0xC0) {
        throw new JpegFormatException("frame header " + marker(code) + " at offset " + pos + " is "
            + sofKind(code) + ": only baseline sequential JPEGs (SOF0, FF C0) can be re-coded");
      }
      if (end - body < 6) {
        throw new JpegFormatException("frame header at offset " + pos + " is too short");
      }
      int precision = b[body] & 0xFF;
      if (precision != 8) {
        throw new JpegFormatException("frame header at offset " + pos + " declares " + precision
            + "-bit samples: only 8-bit baseline JPEGs can be re-coded");
      }
      height = u16(b, body + 1);
      width = u16(b, body + 3);
      components = b[body + 5] & 0xFF;
      if (height == 0) {
        throw new JpegFormatException("frame header at offset " + pos
            + " has height 0 (given later in a DNL segment): not supported");
      }
      if (width == 0) {
        throw new JpegFormatException("frame header at offset " + pos + " has width 0");
      }
      if (components < 1 || components > 3) {
        throw new JpegFormatException("frame header at offset " + pos + " declares " + components
            + " components: only 1 (grey) to 3 (YCbCr) can be re-coded");
      }
      if (end - body < 6 + 3 * components) {
        throw new JpegFormatException("frame header at offset " + pos + " is too short for its components");
      }
      int blocks = 0;
      for (int i = 0; i < components; i++) {
        int c = body + 6 + 3 * i;
        ids[i] = b[c] & 0xFF;
        h[i] = (b[c + 1] & 0xFF) >> 4;
        v[i] = b[c + 1] & 0x0F;
        if (h[i] < 1 || h[i] > 4 || v[i] < 1 || v[i] > 4) {
          throw new JpegFormatException("component " + ids[i] + " has sampling factors " + h[i] + "x" + v[i]
              + " (each must be 1..4)");
        }
        hMax = Math.max(hMax, h[i]);
        vMax = Math.max(vMax, v[i]);
        blocks += h[i] * v[i];
      }
      if (components > 1 && blocks > MAX_BLOCKS_PER_MCU) {
        throw new JpegFormatException("sampling factors give " + blocks + " blocks per MCU (at most "
            + MAX_BLOCKS_PER_MCU + ")");
      }
    }

    private void readDht(byte[] b, int pos, int end) throws JpegFormatException {
      while (pos < end) {
        int tc = (b[pos] & 0xFF) >> 4;
        int th = b[pos] & 0x0F;
        if (tc > 1 || th > 3) {
          throw new JpegFormatException("DHT at offset " + pos + " defines table class " + tc + " id " + th
              + " (class must be 0 or 1, id 0..3)");
        }
        HuffmanTable t = HuffmanTable.read(b, pos + 1, end);
        tables[tc][th] = t;
        pos += 1 + t.bodyLength();
      }
    }

    private void readSos(byte[] b, int pos, int body, int end) throws JpegFormatException {
      int ns = b[body] & 0xFF;
      if (ns != components || end - body != 4 + 2 * ns) {
        throw new JpegFormatException("scan at offset " + pos + " holds " + ns + " of the frame's " + components
            + " components: only single-scan (interleaved) baseline JPEGs can be re-coded");
      }
      for (int i = 0; i < ns; i++) {
        int id = b[body + 1 + 2 * i] & 0xFF;
        int sel = b[body + 2 + 2 * i] & 0xFF;
        if (id != ids[i]) {
          throw new JpegFormatException("scan at offset " + pos + " lists component " + id + " where the frame"
              + " header has " + ids[i] + " (scan components must follow the frame header's order)");
        }
        dc[i] = table(StandardHuffman.DC, sel >> 4, pos);
        ac[i] = table(StandardHuffman.AC, sel & 0x0F, pos);
      }
      int ss = b[body + 1 + 2 * ns] & 0xFF;
      int se = b[body + 2 + 2 * ns] & 0xFF;
      int a = b[body + 3 + 2 * ns] & 0xFF;
      if (ss != 0 || se != 63 || a != 0) {
        throw new JpegFormatException("scan at offset " + pos + " has spectral selection " + ss + ".." + se
            + " and approximation " + Integer.toHexString(a) + ": a baseline scan has 0..63 and 0");
      }
    }

    /** The table a scan selects; an undefined id 0 or 1 means the standard one (Motion-JPEG convention). */
    private HuffmanTable table(int tc, int id, int pos) throws JpegFormatException {
      if (id > 1) {
        throw new JpegFormatException("scan at offset " + pos + " selects " + (tc == 0 ? "DC" : "AC")
            + " table " + id + ": baseline JPEGs use tables 0 and 1");
      }
      HuffmanTable t = tables[tc][id];
      return t != null ? t : StandardHuffman.huffmanTable(tc, id);
    }
  }

  /** One re-coding run: the scan decoder (bit reader) and the encoder (bit writer) share this state. */
  private static final class Recoding {
    private final byte[] in;
    private final Headers hd;
    private final long maxOutput;
    private final int scanEnd;

    // bit reader over in[pos, scanEnd)
    private int pos;
    private long acc;
    private int bits;
    private int fakeBits; // zero bits appended after a marker stopped the data
    private int markerAt = -1; // offset of the marker that stopped the data, -1 while none

    // bit writer into out[op..]
    private byte[] out;
    private int op;
    private long wacc;
    private int wbits;

    Recoding(byte[] in, Headers hd) {
      this.in = in;
      this.hd = hd;
      this.maxOutput = 4L * in.length + 65536;
      this.scanEnd = hd.scanEnd;
    }

    byte[] run() throws JpegFormatException {
      int headBytes = hd.sosStart; // includes the DHTs we drop, more than enough
      int scanBytes = hd.scanEnd - hd.scanStart;
      out = new byte[(int) Math.min(maxOutput, headBytes + 600 + scanBytes + (scanBytes >> 3) + 1024)];
      out[op++] = (byte) 0xFF;
      out[op++] = (byte) 0xD8;
      for (int i = 0; i < hd.kept; i++) {
        if (hd.keptStart[i] == hd.sosStart) {
          continue;
        }
        int n = hd.keptEnd[i] - hd.keptStart[i];
        System.arraycopy(in, hd.keptStart[i], out, op, n);
        op += n;
      }
      byte[] dht = StandardHuffman.dhtSegmentFor(hd.components);
      System.arraycopy(dht, 0, out, op, dht.length);
      op += dht.length;
      writeSos();
      recodeScan();
      ensure(2);
      out[op++] = (byte) 0xFF;
      out[op++] = (byte) 0xD9;
      return Arrays.copyOf(out, op);
    }

    private void writeSos() {
      int ns = hd.components;
      int len = 6 + 2 * ns;
      out[op++] = (byte) 0xFF;
      out[op++] = (byte) 0xDA;
      out[op++] = (byte) (len >> 8);
      out[op++] = (byte) len;
      out[op++] = (byte) ns;
      for (int i = 0; i < ns; i++) {
        out[op++] = (byte) hd.ids[i];
        out[op++] = (byte) (i == 0 ? 0x00 : 0x11);
      }
      out[op++] = 0;
      out[op++] = 63;
      out[op++] = 0;
    }

    private void recodeScan() throws JpegFormatException {
      int ns = hd.components;
      long mcus;
      int[] blockComponent;
      if (ns == 1) { // a single-component scan is not interleaved: one block per MCU, over the component's size
        int bw = ceilDiv(ceilDiv(hd.width * hd.h[0], hd.hMax), 8);
        int bh = ceilDiv(ceilDiv(hd.height * hd.v[0], hd.vMax), 8);
        mcus = (long) bw * bh;
        blockComponent = new int[] {0};
      } else {
        mcus = (long) ceilDiv(hd.width, 8 * hd.hMax) * ceilDiv(hd.height, 8 * hd.vMax);
        int n = 0;
        for (int i = 0; i < ns; i++) {
          n += hd.h[i] * hd.v[i];
        }
        blockComponent = new int[n];
        n = 0;
        for (int i = 0; i < ns; i++) {
          for (int k = 0; k < hd.h[i] * hd.v[i]; k++) {
            blockComponent[n++] = i;
          }
        }
      }
      HuffmanTable[] stdDc = new HuffmanTable[ns];
      HuffmanTable[] stdAc = new HuffmanTable[ns];
      for (int i = 0; i < ns; i++) {
        int id = i == 0 ? 0 : 1;
        stdDc[i] = StandardHuffman.huffmanTable(StandardHuffman.DC, id);
        stdAc[i] = StandardHuffman.huffmanTable(StandardHuffman.AC, id);
      }
      pos = hd.scanStart;
      int interval = hd.restartInterval;
      int restarts = 0;
      long blockIndex = 0;
      long totalBlocks = mcus * blockComponent.length;
      for (long mcu = 0; mcu < mcus; mcu++) {
        if (interval > 0 && mcu > 0 && mcu % interval == 0) {
          restart(restarts++);
        }
        for (int c : blockComponent) {
          ensure(1100);
          recodeBlock(hd.dc[c], hd.ac[c], stdDc[c], stdAc[c]);
          if (bits < fakeBits) {
            throw new JpegFormatException("scan data ends (" + stopDescription() + ") inside block "
                + (blockIndex + 1) + " of " + totalBlocks);
          }
          blockIndex++;
        }
      }
      padToByte();
    }

    /** Decodes one block's symbols with the frame's tables and writes them with the standard ones. */
    private void recodeBlock(HuffmanTable dc, HuffmanTable ac, HuffmanTable stdDc, HuffmanTable stdAc)
        throws JpegFormatException {
      fill();
      int s = decode(dc);
      if (s > 11) {
        throw corrupt("DC difference category " + s + " (baseline allows 0..11)");
      }
      put(stdDc.code(s) << s | take(s), stdDc.length(s) + s); // the standard code, then the same extra bits
      for (int k = 1; k < 64; ) {
        if (bits < 32) {
          fill();
        }
        int rs = decode(ac);
        int r = rs >> 4;
        s = rs & 0x0F;
        if (s == 0) {
          if (r == 0) { // EOB
            put(stdAc.code(0), stdAc.length(0));
            return;
          }
          if (r != 15) {
            throw corrupt("AC symbol " + hex(rs) + " (run " + r + " with size 0 is undefined)");
          }
          k += 16; // ZRL
          if (k > 64) {
            throw corrupt("a run of zeros past the end of a block");
          }
        } else {
          if (s > 10) {
            throw corrupt("AC symbol " + hex(rs) + " (baseline coefficients have size 1..10)");
          }
          k += r + 1;
          if (k > 64) {
            throw corrupt("a coefficient past the end of a block");
          }
        }
        put(stdAc.code(rs) << s | take(s), stdAc.length(rs) + s);
      }
    }

    private int decode(HuffmanTable t) throws JpegFormatException {
      int e = t.lookup((int) (acc >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1));
      if (e != 0) {
        bits -= e >> 8;
        return e & 0xFF;
      }
      for (int len = HuffmanTable.LOOKAHEAD + 1; len <= 16; len++) {
        int code = (int) (acc >>> (bits - len)) & ((1 << len) - 1);
        if (code <= t.maxCode(len)) {
          int sym = t.symbol(len, code);
          if (sym < 0) {
            break;
          }
          bits -= len;
          return sym;
        }
      }
      throw corrupt("a bit pattern that is no code of the frame's Huffman table");
    }

    /** The next {@code n} (0..11) bits as they are. */
    private int take(int n) {
      bits -= n;
      return (int) (acc >>> bits) & ((1 << n) - 1);
    }

    /** Tops the reader up to more than 56 bits; after a marker, with zero bits that must not be consumed. */
    private void fill() {
      final byte[] b = in;
      final int end = scanEnd;
      long a = acc;
      int n = bits;
      int p = pos;
      while (n <= 56) {
        if (markerAt < 0) {
          int v = p < end ? b[p] & 0xFF : 0x100; // 0x100: the scan's end, a marker
          if (v < 0xFF) {
            p++;
          } else if (v == 0xFF && p + 1 < b.length && b[p + 1] == 0) {
            p += 2; // stuffed FF 00 stands for FF
          } else {
            markerAt = Math.min(p, end);
            continue;
          }
          a = (a << 8) | v;
        } else {
          a <<= 8;
          fakeBits += 8;
        }
        n += 8;
      }
      acc = a;
      bits = n;
      pos = p;
    }

    /** Between restart intervals: drops the partial byte, expects RSTn, writes 1-bit padding and RSTn. */
    private void restart(int n) throws JpegFormatException {
      int at = markerAt >= 0 ? markerAt : JpegSegments.nextMarker(in, pos, hd.scanEnd);
      int code = at + 1 < in.length ? in[at + 1] & 0xFF : -1;
      while (code == 0xFF && at + 2 < in.length) {
        at++;
        code = in[at + 1] & 0xFF;
      }
      int expected = 0xD0 + (n & 7);
      if (code != expected) {
        throw new JpegFormatException("expected restart marker " + marker(expected) + " after "
            + (long) (n + 1) * hd.restartInterval + " MCUs, found " + (code < 0 ? "the end" : marker(code))
            + " at offset " + at);
      }
      pos = at + 2;
      acc = 0;
      bits = 0;
      fakeBits = 0;
      markerAt = -1;
      padToByte();
      ensure(2);
      out[op++] = (byte) 0xFF;
      out[op++] = (byte) expected;
    }

    private String stopDescription() {
      if (markerAt >= hd.scanEnd || markerAt + 1 >= in.length) {
        return "end of the scan at offset " + hd.scanEnd;
      }
      return "marker " + marker(in[markerAt + 1] & 0xFF) + " at offset " + markerAt;
    }

    private JpegFormatException corrupt(String what) {
      return new JpegFormatException("corrupt scan data near offset " + pos + ": " + what);
    }

    // ---- bit writer ----

    /** Appends the low {@code len} (at most 27) bits of {@code code}, stuffing a 00 after every FF byte. */
    private void put(int code, int len) {
      wacc = (wacc << len) | code;
      wbits += len;
      if (wbits < 8) {
        return;
      }
      byte[] o = out;
      int p = op;
      do {
        wbits -= 8;
        int v = (int) (wacc >>> wbits) & 0xFF;
        o[p++] = (byte) v;
        if (v == 0xFF) {
          o[p++] = 0;
        }
      } while (wbits >= 8);
      op = p;
    }

    private void padToByte() throws JpegFormatException {
      ensure(4);
      if ((wbits & 7) != 0) {
        int pad = 8 - (wbits & 7);
        put((1 << pad) - 1, pad);
      }
    }

    /** Room for {@code n} more output bytes; refuses to grow past the bound. */
    private void ensure(int n) throws JpegFormatException {
      if (op + n <= out.length) {
        return;
      }
      long want = Math.max((long) op + n, (long) out.length + (out.length >> 1));
      if ((long) op + n > maxOutput) {
        throw new JpegFormatException("re-coding would make the frame larger than " + maxOutput
            + " bytes (4 times its size + 64 KiB): refused as corrupt");
      }
      out = Arrays.copyOf(out, (int) Math.min(want, maxOutput));
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static String hex(int v) {
    return String.format("0x%02X", v);
  }

  static String marker(int code) {
    return String.format("FF %02X", code);
  }

  private static String sofKind(int code) {
    switch (code) {
      case 0xC1:
        return "extended sequential";
      case 0xC2:
        return "progressive";
      case 0xC3:
        return "lossless";
      case 0xC5:
      case 0xC6:
      case 0xC7:
        return "hierarchical (differential)";
      default:
        return "arithmetic-coded";
    }
  }
}
