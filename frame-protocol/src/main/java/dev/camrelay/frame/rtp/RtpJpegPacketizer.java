package dev.camrelay.frame.rtp;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.HuffmanRecoder;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.nio.ByteBuffer;

/**
 * Cuts a baseline JPEG into the payloads of RTP packets as RFC 2435 (RTP payload format for JPEG) defines them,
 * without re-encoding: bytes in, payloads out, no sockets. The JPEG's marker segments are dropped (receivers rebuild
 * them from the RFC 2435 headers); its entropy-coded scan goes out byte for byte.
 *
 * <pre>
 * BEFORE: one JPEG
 * +-------+-----------+-----+-------------+-----+-----+--------------------------------------+-------+
 * | FF D8 | APPn, COM | DQT | SOF0 (size, | DHT | DRI | SOS | entropy-coded scan data        | FF D9 |
 * |       |           |     |  sampling)  |     |     |     |                                |       |
 * +-------+-----------+-----+-------------+-----+-----+--------------------------------------+-------+
 *                                                            |&lt;-------- cut into fragments ------&gt;|
 * AFTER: payloads (the sender adds the 12-byte RTP header, marker bit on the last one)
 *   payload 0:   main header | [restart header] | quantization table header + tables | fragment 0
 *   payload 1..: main header | [restart header] | fragment n
 *
 * Main JPEG header (8 bytes, every payload):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Type-specific |              Fragment Offset                  |   type-specific 0 (progressive frame);
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   offset of the fragment in the scan data
 * |      Type     |       Q       |     Width     |     Height    |   Q = 255: tables in-band; width and
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   height in 8-pixel units
 *
 * Restart marker header (4 bytes, every payload, only for types 64..127, i.e. the JPEG has a DRI segment):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Restart Interval        |F|L|       Restart Count       |   F = L = 1, count 0x3FFF: fragments are
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   not cut at restart intervals
 *
 * Quantization table header (first payload of a frame only, because Q = 255):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      MBZ      |   Precision   |             Length            |   precision 0 (8-bit), length 128:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   the luminance table, then the
 * |                    Quantization Table Data                    |   chrominance table, 64 bytes each in
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   zigzag order as in the JPEG's DQT
 * </pre>
 *
 * <p>Type is 1 for 4:2:0 (luminance sampled 2x2), 0 for 4:2:2 (2x1), plus 64 when the JPEG has restart markers.
 *
 * <p>Limits, each refused with an {@link RtpJpegException} naming the reason: baseline (SOF0) 8-bit YCbCr only (not
 * progressive, not grayscale, not 4:4:4), at most 2040x2040 pixels, 8-bit quantization tables, one interleaved scan,
 * and the standard Huffman tables of JPEG Annex K (receivers rebuild the JPEG with those; see
 * {@link #usesStandardHuffmanTables}). A size that is not a multiple of 8 is sent rounded up, so receivers decode
 * a few more rows or columns (the encoder's padding) than the original showed.
 *
 * <p>Thread-safe (it holds only its payload size): one packetizer may serve every camera.
 */
public final class RtpJpegPacketizer {
  /** Main JPEG header bytes. */
  public static final int MAIN_HEADER_BYTES = 8;
  /** Restart marker header bytes. */
  public static final int RESTART_HEADER_BYTES = 4;
  /** Quantization table header with two 8-bit tables: 4 + 2 * 64 bytes. */
  public static final int QUANT_HEADER_BYTES = 4 + 128;
  /** The smallest payload size accepted: all headers of a first payload and some scan data. */
  public static final int MIN_PAYLOAD_BYTES = MAIN_HEADER_BYTES + RESTART_HEADER_BYTES + QUANT_HEADER_BYTES + 32;
  /** A payload size that fits an Ethernet MTU with IP, UDP and RTP headers: 1400 bytes. */
  public static final int DEFAULT_PAYLOAD_BYTES = 1400;
  /**
   * The largest payload: an RTP packet (12-byte header + payload) must fit a 16-bit length, as RTP interleaved on an
   * RTSP connection (RFC 2326 10.12) gives it: 65523 bytes. Over TCP there is no MTU to respect, and fewer, larger
   * packets cost a sender and a receiver less per frame.
   */
  public static final int MAX_PAYLOAD_BYTES = 65_535 - 12;

  private final int maxPayloadBytes;

  /**
   * @param maxPayloadBytes largest payload, RFC 2435 headers included (not the 12-byte RTP header); at least
   *     {@link #MIN_PAYLOAD_BYTES}
   */
  public RtpJpegPacketizer(int maxPayloadBytes) {
    if (maxPayloadBytes < MIN_PAYLOAD_BYTES || maxPayloadBytes > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("maxPayloadBytes must be in " + MIN_PAYLOAD_BYTES + ".." + MAX_PAYLOAD_BYTES
          + ", got " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /**
   * The RTP payloads of {@code jpeg}.
   *
   * @throws RtpJpegException when RFC 2435 cannot carry the frame as it is; the message names the reason
   */
  public RtpJpegPayloads packetize(JpegFrame jpeg) throws RtpJpegException {
    JpegHeaders h = JpegHeaders.read(jpeg);
    String reason = h.unsupportedReason();
    if (reason != null) {
      throw new RtpJpegException(reason);
    }
    boolean recoded = !h.huffmanStandard;
    if (recoded) {
      jpeg = recoded(jpeg);
      h = JpegHeaders.read(jpeg);
    }
    ByteBuffer scan = standardHuffmanScan(jpeg, h);
    int scanBytes = scan.remaining();
    int type = h.rtpType();
    boolean restart = h.restartInterval > 0;
    int header = MAIN_HEADER_BYTES + (restart ? RESTART_HEADER_BYTES : 0);
    int firstRoom = maxPayloadBytes - header - QUANT_HEADER_BYTES;
    int room = maxPayloadBytes - header;
    int count = scanBytes <= firstRoom ? 1 : 1 + (scanBytes - firstRoom + room - 1) / room;
    byte[] out = new byte[count * header + QUANT_HEADER_BYTES + scanBytes];
    int[] offsets = new int[count + 1];
    int widthBlocks = (h.width + 7) / 8;
    int heightBlocks = (h.height + 7) / 8;
    int pos = 0;
    int fragmentOffset = 0;
    for (int i = 0; i < count; i++) {
      offsets[i] = pos;
      out[pos++] = 0; // type-specific
      out[pos++] = (byte) (fragmentOffset >>> 16);
      out[pos++] = (byte) (fragmentOffset >>> 8);
      out[pos++] = (byte) fragmentOffset;
      out[pos++] = (byte) type;
      out[pos++] = (byte) 255; // Q: tables in-band
      out[pos++] = (byte) widthBlocks;
      out[pos++] = (byte) heightBlocks;
      if (restart) {
        out[pos++] = (byte) (h.restartInterval >>> 8);
        out[pos++] = (byte) h.restartInterval;
        out[pos++] = (byte) 0xFF; // F = 1, L = 1, restart count 0x3FFF
        out[pos++] = (byte) 0xFF;
      }
      int fragment = Math.min(scanBytes - fragmentOffset, i == 0 ? firstRoom : room);
      if (i == 0) {
        out[pos++] = 0; // MBZ
        out[pos++] = 0; // precision: 8-bit tables
        out[pos++] = 0;
        out[pos++] = (byte) 128; // length
        System.arraycopy(h.quant[h.quantTable[0]], 0, out, pos, 64);
        System.arraycopy(h.quant[h.quantTable[1]], 0, out, pos + 64, 64);
        pos += 128;
      }
      scan.get(scan.position(), out, pos, fragment);
      scan.position(scan.position() + fragment);
      pos += fragment;
      fragmentOffset += fragment;
    }
    offsets[count] = pos;
    return new RtpJpegPayloads(out, offsets, type, widthBlocks * 8, heightBlocks * 8, recoded);
  }

  /**
   * A frame with other Huffman tables than the standard ones (ffmpeg's default optimal tables, many IP cameras),
   * re-coded losslessly with the standard tables ({@link HuffmanRecoder}: the scan is entropy-decoded and
   * re-encoded, no pixel is touched; ~15% larger, ~30 MB/s per core).
   */
  private static JpegFrame recoded(JpegFrame jpeg) throws RtpJpegException {
    try {
      return HuffmanRecoder.toStandardTables(jpeg);
    } catch (JpegFormatException e) {
      throw new RtpJpegException("non-standard Huffman tables that cannot be re-coded: " + e.getMessage());
    }
  }

  /**
   * The scan data to send, coded with the standard Huffman tables that RFC 2435 receivers assume: the JPEG's own
   * scan (the ESP32's encoder, the JDK's, ffmpeg with {@code -huffman default}) or the re-coded one.
   */
  private static ByteBuffer standardHuffmanScan(JpegFrame jpeg, JpegHeaders h) throws RtpJpegException {
    if (!h.huffmanStandard) {
      throw new RtpJpegException("Huffman tables still not standard after re-coding");
    }
    ByteBuffer b = jpeg.asByteBuffer();
    int end = b.limit() - 2; // without the EOI: receivers add their own
    return b.position(h.scanStart).limit(Math.max(h.scanStart, end)).slice();
  }

  /**
   * Whether {@code jpeg} is entropy-coded with the standard Huffman tables of JPEG Annex K, which RFC 2435
   * receivers assume: every DHT table it defines for ids 0 and 1 equals the standard one, and its scan uses tables
   * 0 for luminance and 1 for chrominance. A JPEG without any DHT segment (as some cameras send, "Motion-JPEG"
   * style) counts as standard.
   */
  public static boolean usesStandardHuffmanTables(JpegFrame jpeg) {
    JpegHeaders h = JpegHeaders.read(jpeg);
    return h.scanStart >= 0 && h.huffmanStandard;
  }
}
