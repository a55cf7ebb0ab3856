package dev.camrelay.frame.rtp;

import dev.camrelay.frame.jpeg.StandardHuffman;
import java.util.Arrays;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.nio.ByteBuffer;

/**
 * What RFC 2435 needs from a JPEG's marker segments before its scan, read without decoding pixels: the frame header
 * (SOFn), the quantization tables (DQT), the restart interval (DRI), whether the Huffman tables (DHT) and the scan's
 * table selectors are the standard ones, and where the entropy-coded scan data starts. Collects facts only;
 * {@link #unsupportedReason()} says whether RTP/JPEG can carry the frame.
 */
final class JpegHeaders {
  int sofMarker = -1;
  int precision;
  int width;
  int height;
  int components;
  final int[] componentIds = new int[4];
  final int[] sampling = new int[4];
  final int[] quantTable = new int[4];
  /** 8-bit tables by id, in the zigzag order of the DQT segment; null when not defined. */
  final byte[][] quant = new byte[4][];
  String sixteenBitTable;
  int restartInterval;
  boolean huffmanStandard = true;
  int scanComponents;
  final int[] scanSelectors = new int[4];
  final int[] scanTables = new int[4];
  int scanParameters;
  /** Offset of the first entropy-coded byte (just after the SOS segment); -1 when no scan was found. */
  int scanStart = -1;

  static JpegHeaders read(JpegFrame frame) {
    ByteBuffer b = frame.asByteBuffer();
    JpegHeaders h = new JpegHeaders();
    int pos = 2;
    int end = b.limit();
    while (pos + 4 <= end) {
      if (b.get(pos) != (byte) 0xFF) {
        break;
      }
      int code = b.get(pos + 1) & 0xFF;
      if (code == 0xFF) {
        pos++; // fill byte
        continue;
      }
      if (code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
        pos += 2;
        continue;
      }
      if (code == 0xD9) {
        break;
      }
      int len = u16(b, pos + 2);
      int body = pos + 4;
      int segEnd = Math.min(end, pos + 2 + len);
      switch (code) {
        case 0xDB -> h.readDqt(b, body, segEnd);
        case 0xC4 -> h.readDht(b, body, segEnd);
        case 0xDD -> h.restartInterval = segEnd - body >= 2 ? u16(b, body) : 0;
        case 0xDA -> {
          h.readSos(b, body, segEnd);
          h.scanStart = segEnd;
          return h;
        }
        default -> {
          if (isSof(code) && h.sofMarker < 0) {
            h.readSof(code, b, body, segEnd);
          }
        }
      }
      pos += 2 + len;
    }
    return h;
  }

  /** Why RFC 2435 cannot carry this frame, or null when it can (Huffman tables aside: see {@link #huffmanStandard}). */
  String unsupportedReason() {
    if (sofMarker < 0 || scanStart < 0) {
      return "no frame header (SOFn) or no scan (SOS) found";
    }
    if (sofMarker == 0xC2 || sofMarker == 0xC6 || sofMarker == 0xCA || sofMarker == 0xCE) {
      return String.format("progressive JPEG (SOF%d); RFC 2435 carries baseline (SOF0) only", sofMarker - 0xC0);
    }
    if (sofMarker != 0xC0) {
      return String.format("JPEG process SOF%d; RFC 2435 carries baseline (SOF0) only", sofMarker - 0xC0);
    }
    if (precision != 8) {
      return precision + "-bit samples; RFC 2435 carries 8-bit baseline only";
    }
    if (components == 1) {
      return "grayscale JPEG (one component); RFC 2435 carries YCbCr with three components only";
    }
    if (components != 3) {
      return components + " colour components; RFC 2435 carries YCbCr with three components only";
    }
    if (width == 0 || height == 0) {
      return "image size " + width + "x" + height + " (height given by DNL?) is not carried by RFC 2435";
    }
    if ((width + 7) / 8 > 255 || (height + 7) / 8 > 255) {
      return "image " + width + "x" + height + " is larger than RFC 2435's 2040x2040 pixels";
    }
    if (sampling[1] != 0x11 || sampling[2] != 0x11 || (sampling[0] != 0x21 && sampling[0] != 0x22)) {
      String kind = sampling[0] == sampling[1] && sampling[1] == sampling[2] ? "4:4:4 chroma sampling"
          : String.format("sampling factors %02x %02x %02x", sampling[0], sampling[1], sampling[2]);
      return kind + "; RFC 2435 carries 4:2:0 and 4:2:2 only";
    }
    if (sixteenBitTable != null) {
      return sixteenBitTable;
    }
    if (quantTable[1] != quantTable[2]) {
      return "Cb and Cr use different quantization tables; RFC 2435 sends one chrominance table";
    }
    if (quant[quantTable[0]] == null || quant[quantTable[1]] == null) {
      return "a component's quantization table is not defined in the JPEG";
    }
    if (scanComponents != 3 || scanParameters != 0x003F00) {
      return "the JPEG's first scan does not hold all three components interleaved (non-interleaved baseline)";
    }
    for (int i = 0; i < 3; i++) {
      if (scanSelectors[i] != componentIds[i]) {
        return "the scan lists the components in another order than the frame header";
      }
    }
    return null;
  }

  /** RFC 2435 type: 0 for 4:2:2, 1 for 4:2:0; +64 with restart markers. */
  int rtpType() {
    return (sampling[0] == 0x22 ? 1 : 0) + (restartInterval > 0 ? 64 : 0);
  }

  private void readSof(int code, ByteBuffer b, int body, int end) {
    sofMarker = code;
    if (end - body < 6) {
      return;
    }
    precision = b.get(body) & 0xFF;
    height = u16(b, body + 1);
    width = u16(b, body + 3);
    components = b.get(body + 5) & 0xFF;
    for (int i = 0; i < Math.min(components, 4) && body + 8 + 3 * i < end; i++) {
      componentIds[i] = b.get(body + 6 + 3 * i) & 0xFF;
      sampling[i] = b.get(body + 7 + 3 * i) & 0xFF;
      quantTable[i] = b.get(body + 8 + 3 * i) & 0x03;
    }
  }

  private void readDqt(ByteBuffer b, int pos, int end) {
    while (pos < end) {
      int pq = (b.get(pos) & 0xFF) >> 4;
      int id = b.get(pos) & 0x03;
      int size = pq == 0 ? 64 : 128;
      if (pos + 1 + size > end) {
        return;
      }
      if (pq != 0) {
        sixteenBitTable = "16-bit quantization table " + id + "; RFC 2435 in-band tables here are 8-bit only";
      } else {
        byte[] table = new byte[64];
        b.get(pos + 1, table);
        quant[id] = table;
      }
      pos += 1 + size;
    }
  }

  private void readDht(ByteBuffer b, int pos, int end) {
    byte[] seg = new byte[end - pos];
    b.get(pos, seg);
    int p = 0;
    while (p + 17 <= seg.length) {
      int tableClass = (seg[p] & 0xFF) >> 4;
      int id = seg[p] & 0x0F;
      int symbols = 0;
      for (int i = 1; i <= 16; i++) {
        symbols += seg[p + i] & 0xFF;
      }
      byte[] standard = id > 1 || tableClass > 1 ? null : StandardHuffman.table(tableClass, id);
      if (standard != null && (standard.length != 16 + symbols || seg.length - (p + 1) < standard.length
          || !Arrays.equals(standard, 0, standard.length, seg, p + 1, p + 1 + standard.length))) {
        huffmanStandard = false;
      }
      p += 17 + symbols;
    }
  }

  private void readSos(ByteBuffer b, int body, int end) {
    if (end - body < 1) {
      return;
    }
    scanComponents = b.get(body) & 0xFF;
    for (int i = 0; i < Math.min(scanComponents, 4) && body + 2 + 2 * i < end; i++) {
      scanSelectors[i] = b.get(body + 1 + 2 * i) & 0xFF;
      scanTables[i] = b.get(body + 2 + 2 * i) & 0xFF;
    }
    int params = body + 1 + 2 * scanComponents;
    if (params + 3 <= end) {
      scanParameters = ((b.get(params) & 0xFF) << 16) | ((b.get(params + 1) & 0xFF) << 8) | (b.get(params + 2) & 0xFF);
    }
    // Receivers use DC/AC table 0 for luminance and 1 for both chrominance components.
    if (scanComponents != 3 || scanTables[0] != 0x00 || scanTables[1] != 0x11 || scanTables[2] != 0x11) {
      huffmanStandard = false;
    }
  }

  private static boolean isSof(int code) {
    return code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
  }

  private static int u16(ByteBuffer b, int pos) {
    return ((b.get(pos) & 0xFF) << 8) | (b.get(pos + 1) & 0xFF);
  }
}
