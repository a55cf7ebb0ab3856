package dev.camrelay.frame.rtp;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.StandardHuffman;
import java.util.Arrays;

/**
 * RFC 2435 receiver: RTP/JPEG payloads in, whole JPEG frames out. The inverse of the packetizer, for tests and
 * for library users that receive RTP/JPEG; no sockets, no RTP header parsing (pass the payload, the marker bit
 * and the RTP timestamp of each packet).
 *
 * <p>Each payload starts with the 8-byte JPEG header, then for types 64–127 the restart marker header, then in
 * the first packet of a frame with Q 128–255 the quantization table header and tables, then scan data:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Type-specific |              Fragment Offset                  |  main JPEG header
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Type     |       Q       |     Width     |     Height    |  width, height in 8-pixel units
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Restart Interval        |F|L|       Restart Count       |  only for types 64..127
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      MBZ      |   Precision   |             Length            |  only for Q >= 128, offset 0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Quantization Table Data (Length bytes, zig-zag)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        entropy-coded scan data from Fragment Offset ...       |
 * </pre>
 *
 * <p>When the packet with the marker bit completes a frame, the JPEG is rebuilt as RFC 2435 Appendix B does:
 * SOI, DQT (the in-band tables for Q 128–255, or for Q 1–99 the Annex K example tables scaled like the RFC's
 * Appendix A), DRI for types 64–127, SOF0 (3 components, type 0/64: 4:2:2, type 1/65: 4:2:0; component ids 1,
 * 2, 3), the standard DHT tables, SOS, the scan data and EOI (unless the data already ends with one). The
 * result must pass {@link JpegFrame#parse}, otherwise the frame is dropped.
 *
 * <p>Loss handling: a frame is whole or nothing. Packets of one frame share an RTP timestamp and must arrive in
 * order with contiguous fragment offsets; a gap, a reordered or malformed packet, a frame over {@code
 * maxFrameBytes}, an unsupported type, a reserved Q (0, 100–127) or missing tables drop the frame (counted in
 * {@link #framesDropped()}, reason in {@link #lastDropReason()}); the next timestamp starts afresh. A frame whose
 * marker packet never comes is dropped when a packet with another timestamp arrives. No reordering buffer:
 * over UDP a reordered or duplicated packet costs the frame; late duplicates of a finished frame are ignored.
 * Partial-frame decoding with restart counts (F/L bits) is not done, and the type-specific field (interlaced
 * fields) is ignored: each payload frame is rebuilt as one image of the size in its header.
 *
 * <p>Limits: types 0, 1, 64, 65 only (others are dropped). Q 128–254 tables are remembered per Q and reused
 * when a later frame sends Length 0; Q 255 tables must come with every frame. 16-bit tables (precision bits)
 * are passed into DQT with Pq = 1. Holds at most {@code maxFrameBytes} of scan data.
 *
 * <p>Not thread-safe: feed it from one thread.
 */
public final class RtpJpegDepacketizer {
  /** Default largest scan data of one frame: 4 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

  private static final int MAIN_HEADER = 8;
  private static final int RESTART_HEADER = 4;
  private static final int QUANT_HEADER = 4;

  /** Annex K.1 luminance and K.2 chrominance example tables, in zig-zag order. */
  private static final int[] LUMA_ZIGZAG = zigzag(new int[] {
      16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
      14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
      18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
      49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99});
  private static final int[] CHROMA_ZIGZAG = zigzag(new int[] {
      17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
      24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
      99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
      99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99});

  private final int maxFrameBytes;
  private final byte[][] tablesByQ = new byte[256][]; // Q 1..99 computed, Q 128..254 as last received
  private final int[] precisionByQ = new int[256];

  private boolean inFrame;
  private boolean broken;
  private long timestamp;
  private boolean haveLastTimestamp;
  private int type;
  private int q;
  private int width;
  private int height;
  private int restartInterval;
  private byte[] tables;
  private int precision;
  private byte[] data = new byte[0];
  private int size;

  private long framesCompleted;
  private long framesDropped;
  private String lastDropReason;

  /** A depacketizer that holds at most {@link #DEFAULT_MAX_FRAME_BYTES} of scan data per frame. */
  public RtpJpegDepacketizer() {
    this(DEFAULT_MAX_FRAME_BYTES);
  }

  /** A depacketizer that drops frames whose scan data exceeds {@code maxFrameBytes}. */
  public RtpJpegDepacketizer(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Feeds one RTP packet's payload (the bytes after the RTP header). Returns the frame this packet completed,
   * or {@code null} (more packets needed, or the frame was dropped). Never throws for bad input.
   *
   * @param marker the RTP marker bit: set on the last packet of a frame
   * @param rtpTimestamp the RTP timestamp (90 kHz; only compared for equality, so any 32-bit value)
   */
  public JpegFrame push(byte[] payload, int offset, int length, boolean marker, long rtpTimestamp) {
    if (offset < 0 || length < 0 || offset + length > payload.length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + payload.length);
    }
    if (!inFrame || rtpTimestamp != timestamp) {
      if (inFrame && !broken) {
        drop("frame at RTP timestamp " + timestamp + " lost its last packet (no marker bit before timestamp "
            + rtpTimestamp + ")");
      }
      if (haveLastTimestamp && !inFrame && rtpTimestamp == timestamp) {
        return null; // a late duplicate of the frame just finished or dropped
      }
      startFrame(rtpTimestamp);
    }
    if (!broken) {
      JpegFrame frame = accept(payload, offset, length, marker);
      if (frame != null) {
        return frame;
      }
    }
    if (marker) {
      inFrame = false; // the frame ended (dropped); later packets with its timestamp are ignored
    }
    return null;
  }

  /** Frames rebuilt so far. */
  public long framesCompleted() {
    return framesCompleted;
  }

  /** Frames dropped so far (lost, reordered or malformed packets, unsupported types). */
  public long framesDropped() {
    return framesDropped;
  }

  /** Why the last frame was dropped, or {@code null} if none was. */
  public String lastDropReason() {
    return lastDropReason;
  }

  private void startFrame(long rtpTimestamp) {
    inFrame = true;
    broken = false;
    timestamp = rtpTimestamp;
    haveLastTimestamp = true;
    size = 0;
    tables = null;
  }

  private JpegFrame accept(byte[] p, int off, int len, boolean marker) {
    int end = off + len;
    if (len < MAIN_HEADER) {
      return drop("packet of " + len + " bytes is shorter than the 8-byte RTP/JPEG header");
    }
    int fragmentOffset = ((p[off + 1] & 0xFF) << 16) | ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
    int pType = p[off + 4] & 0xFF;
    int pQ = p[off + 5] & 0xFF;
    int pWidth = p[off + 6] & 0xFF;
    int pHeight = p[off + 7] & 0xFF;
    int pos = off + MAIN_HEADER;
    int pRestart = 0;
    if ((pType & 0x3F) > 1 || pType > 127) {
      return drop("RTP/JPEG type " + pType + " is not supported (only 0, 1, 64, 65)");
    }
    if (pQ == 0 || (pQ >= 100 && pQ <= 127)) {
      return drop("Q " + pQ + " is reserved");
    }
    if (pWidth == 0 || pHeight == 0) {
      return drop("width or height 0 in the RTP/JPEG header");
    }
    if (pType >= 64) {
      if (end - pos < RESTART_HEADER) {
        return drop("packet ends inside the restart marker header");
      }
      pRestart = ((p[pos] & 0xFF) << 8) | (p[pos + 1] & 0xFF);
      pos += RESTART_HEADER;
      if (pRestart == 0) {
        return drop("type " + pType + " with restart interval 0");
      }
    }
    if (size == 0 && tables == null) {
      type = pType;
      q = pQ;
      width = pWidth;
      height = pHeight;
      restartInterval = pRestart;
    } else if (pType != type || pQ != q || pWidth != width || pHeight != height || pRestart != restartInterval) {
      return drop("type, Q, size or restart interval changed inside a frame");
    }
    if (fragmentOffset == 0 && tables == null) {
      pos = readTables(p, pos, end);
      if (pos < 0) {
        return null;
      }
    }
    if (fragmentOffset != size) {
      return drop("fragment at offset " + fragmentOffset + " where " + size
          + " was expected (a packet was lost or reordered)");
    }
    int n = end - pos;
    if ((long) size + n > maxFrameBytes) {
      return drop("frame larger than " + maxFrameBytes + " bytes");
    }
    if (size + n > data.length) {
      data = Arrays.copyOf(data, Math.min(maxFrameBytes, Math.max(size + n, data.length * 2)));
    }
    System.arraycopy(p, pos, data, size, n);
    size += n;
    if (!marker) {
      return null;
    }
    inFrame = false;
    try {
      JpegFrame frame = JpegFrame.parse(rebuild());
      framesCompleted++;
      return frame;
    } catch (JpegFormatException e) {
      return drop("rebuilt JPEG is invalid: " + e.getMessage());
    }
  }

  /** Reads or derives the quantization tables; returns the scan data start, or -1 after dropping the frame. */
  private int readTables(byte[] p, int pos, int end) {
    if (q < 128) {
      if (tablesByQ[q] == null) {
        tablesByQ[q] = scaledTables(q);
      }
      tables = tablesByQ[q];
      precision = 0;
      return pos;
    }
    if (end - pos < QUANT_HEADER) {
      drop("first packet ends inside the quantization table header");
      return -1;
    }
    int prec = p[pos + 1] & 0xFF;
    int length = ((p[pos + 2] & 0xFF) << 8) | (p[pos + 3] & 0xFF);
    pos += QUANT_HEADER;
    if (length == 0) {
      if (q == 255 || tablesByQ[q] == null) {
        drop("Q " + q + " without quantization tables" + (q == 255 ? " (255 needs them in every frame)" : ""));
        return -1;
      }
      tables = tablesByQ[q];
      precision = precisionByQ[q];
      return pos;
    }
    if (end - pos < length) {
      drop("quantization tables of " + length + " bytes do not fit the first packet");
      return -1;
    }
    int count = 0;
    int expected = 0;
    while (expected < length && count < 4) {
      expected += (prec >> count & 1) != 0 ? 128 : 64;
      count++;
    }
    if (expected != length) {
      drop("quantization table length " + length + " does not match precision bits " + prec);
      return -1;
    }
    tables = Arrays.copyOfRange(p, pos, pos + length);
    precision = prec;
    if (q < 255) {
      tablesByQ[q] = tables;
      precisionByQ[q] = prec;
    }
    return pos + length;
  }

  private JpegFrame drop(String reason) {
    if (!broken) {
      broken = true;
      framesDropped++;
      lastDropReason = reason;
    }
    return null;
  }

  /** SOI, DQT, [DRI], SOF0, DHT, SOS, scan data, EOI (RFC 2435 Appendix B). */
  private byte[] rebuild() {
    byte[] dht = StandardHuffman.dhtSegment();
    int tableCount = 0;
    for (int used = 0; used < tables.length; tableCount++) {
      used += (precision >> tableCount & 1) != 0 ? 128 : 64;
    }
    boolean endsWithEoi = size >= 2 && data[size - 2] == (byte) 0xFF && data[size - 1] == (byte) 0xD9;
    int total = 2 + (4 + tableCount + tables.length) + (restartInterval > 0 ? 6 : 0) + 19 + dht.length + 14
        + size + (endsWithEoi ? 0 : 2);
    byte[] out = new byte[total];
    int o = 0;
    o = marker(out, o, 0xD8);
    o = marker(out, o, 0xDB);
    o = u16(out, o, 2 + tableCount + tables.length);
    for (int t = 0, src = 0; t < tableCount; t++) {
      int n = (precision >> t & 1) != 0 ? 128 : 64;
      out[o++] = (byte) ((n == 128 ? 0x10 : 0) | t);
      System.arraycopy(tables, src, out, o, n);
      o += n;
      src += n;
    }
    if (restartInterval > 0) {
      o = marker(out, o, 0xDD);
      o = u16(out, o, 4);
      o = u16(out, o, restartInterval);
    }
    int chromaTable = tableCount > 1 ? 1 : 0;
    o = marker(out, o, 0xC0);
    o = u16(out, o, 17);
    out[o++] = 8;
    o = u16(out, o, height * 8);
    o = u16(out, o, width * 8);
    out[o++] = 3;
    out[o++] = 1;
    out[o++] = (byte) ((type & 1) == 0 ? 0x21 : 0x22);
    out[o++] = 0;
    for (int c = 2; c <= 3; c++) {
      out[o++] = (byte) c;
      out[o++] = 0x11;
      out[o++] = (byte) chromaTable;
    }
    System.arraycopy(dht, 0, out, o, dht.length);
    o += dht.length;
    o = marker(out, o, 0xDA);
    o = u16(out, o, 12);
    out[o++] = 3;
    out[o++] = 1;
    out[o++] = 0x00;
    out[o++] = 2;
    out[o++] = 0x11;
    out[o++] = 3;
    out[o++] = 0x11;
    out[o++] = 0;
    out[o++] = 63;
    out[o++] = 0;
    System.arraycopy(data, 0, out, o, size);
    o += size;
    if (!endsWithEoi) {
      o = marker(out, o, 0xD9);
    }
    return out;
  }

  private static int marker(byte[] out, int o, int code) {
    out[o] = (byte) 0xFF;
    out[o + 1] = (byte) code;
    return o + 2;
  }

  private static int u16(byte[] out, int o, int v) {
    out[o] = (byte) (v >> 8);
    out[o + 1] = (byte) v;
    return o + 2;
  }

  /**
   * The two 8-bit tables for Q 1..99, RFC 2435 Appendix A: the Annex K examples scaled by 5000 / Q below 50
   * and 200 - 2Q from 50, rounded, kept within 1..255 (the same scaling as the IJG library's quality).
   */
  static byte[] scaledTables(int q) {
    int factor = Math.max(1, Math.min(99, q));
    int scale = factor < 50 ? 5000 / factor : 200 - factor * 2;
    byte[] out = new byte[128];
    for (int i = 0; i < 64; i++) {
      out[i] = (byte) Math.max(1, Math.min(255, (LUMA_ZIGZAG[i] * scale + 50) / 100));
      out[64 + i] = (byte) Math.max(1, Math.min(255, (CHROMA_ZIGZAG[i] * scale + 50) / 100));
    }
    return out;
  }

  /** Reorders a table given row by row into zig-zag order. */
  private static int[] zigzag(int[] natural) {
    int[] out = new int[64];
    int i = 0;
    for (int s = 0; s < 15; s++) { // s = row + column, one anti-diagonal at a time
      for (int k = 0; k <= s; k++) {
        int row = (s & 1) == 0 ? s - k : k; // even diagonals run up and right, odd ones down and left
        int col = s - row;
        if (row < 8 && col < 8) {
          out[i++] = natural[row * 8 + col];
        }
      }
    }
    return out;
  }
}
