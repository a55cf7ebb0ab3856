package dev.camrelay.frame.rtp;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The receiving side of {@link RtpJpegPacketizer}: RTP/JPEG payloads (RFC 2435, without the RTP header) in, whole
 * JPEGs out, rebuilt as RFC 2435 receivers do: a baseline header (DQT from the in-band tables, SOF0 from type, width
 * and height, the standard Huffman tables of JPEG Annex K, DRI for types 64..127, SOS) before the scan data.
 *
 * <pre>
 * BEFORE: payloads of one frame (same RTP timestamp, marker bit on the last)
 *   [main header | restart header | table header + tables | data 0] [main header | restart header | data 1] ...
 * AFTER:
 *   FF D8 | DQT | SOF0 | DHT (Annex K) | DRI | SOS | data 0 data 1 ... | FF D9
 * </pre>
 *
 * <p>A fragment whose offset does not continue the frame (a packet was lost or reordered) drops the frame; the next
 * fragment with offset 0 starts a new one. Limits: types 0, 1, 64 and 65; Q of 128..255 (quantization tables
 * in-band; for Q 128..254 a table may be sent once and is remembered); Q below 128 (tables computed from Q) is
 * refused. Not thread-safe: one depacketizer per stream.
 */
public final class RtpJpegDepacketizer {
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private final byte[][] tablesByQ = new byte[256][];
  private boolean inFrame;
  private int type;
  private int width;
  private int height;
  private int restartInterval;
  private byte[] tables;

  /**
   * Takes one payload; returns the frame it completes, or null.
   *
   * @param marker the RTP marker bit: this is the frame's last packet
   * @throws RtpJpegException for a payload this depacketizer cannot use (too short, an unknown type, Q below 128,
   *     a JPEG that does not parse); the frame so far is dropped
   */
  public JpegFrame accept(ByteBuffer payload, boolean marker) throws RtpJpegException {
    ByteBuffer p = payload.duplicate();
    try {
      if (p.remaining() < RtpJpegPacketizer.MAIN_HEADER_BYTES) {
        throw new RtpJpegException("payload of " + p.remaining() + " bytes is shorter than the RFC 2435 header");
      }
      int offset = p.getInt() & 0xFFFFFF;
      int packetType = p.get() & 0xFF;
      int packetQ = p.get() & 0xFF;
      int packetWidth = (p.get() & 0xFF) * 8;
      int packetHeight = (p.get() & 0xFF) * 8;
      if ((packetType & 0x3F) > 1 || packetType > 127) {
        throw new RtpJpegException("RTP/JPEG type " + packetType + " (only 0, 1, 64 and 65 are handled)");
      }
      int interval = 0;
      if (packetType >= 64) {
        interval = p.getShort() & 0xFFFF;
        p.getShort(); // F, L, restart count: fragments are reassembled by offset instead
      }
      if (offset == 0) {
        start(p, packetType, packetQ, packetWidth, packetHeight, interval);
      } else if (!inFrame || offset != data.size()) {
        inFrame = false; // a lost or reordered packet: wait for the next frame
        return null;
      }
      byte[] bytes = new byte[p.remaining()];
      p.get(bytes);
      data.write(bytes, 0, bytes.length);
      if (!marker) {
        return null;
      }
      inFrame = false;
      return JpegFrame.parse(jpeg());
    } catch (RtpJpegException e) {
      inFrame = false;
      throw e;
    } catch (java.nio.BufferUnderflowException e) {
      inFrame = false;
      throw new RtpJpegException("payload ends inside its RFC 2435 headers");
    } catch (JpegFormatException e) {
      throw new RtpJpegException("the rebuilt JPEG does not parse: " + e.getMessage());
    }
  }

  private void start(ByteBuffer p, int packetType, int packetQ, int packetWidth, int packetHeight, int interval)
      throws RtpJpegException {
    if (packetQ < 128) {
      throw new RtpJpegException("Q " + packetQ + ": tables computed from Q are not handled, only in-band (Q >= 128)");
    }
    byte[] frameTables = tablesByQ[packetQ];
    if (p.remaining() >= 4) {
      int mbz = p.get(p.position()) & 0xFF;
      int precision = p.get(p.position() + 1) & 0xFF;
      int length = p.getShort(p.position() + 2) & 0xFFFF;
      if (mbz == 0 && length > 0) {
        if (precision != 0) {
          throw new RtpJpegException("16-bit quantization tables are not handled");
        }
        if (length != 64 && length != 128 || p.remaining() < 4 + length) {
          throw new RtpJpegException("quantization table header of " + length + " bytes (64 or 128 expected)");
        }
        p.position(p.position() + 4);
        frameTables = new byte[length];
        p.get(frameTables);
        if (packetQ != 255) {
          tablesByQ[packetQ] = frameTables;
        }
      } else if (length == 0) {
        p.position(p.position() + 4); // tables announced earlier for this Q
      }
    }
    if (frameTables == null) {
      throw new RtpJpegException("no quantization tables for Q " + packetQ + " yet");
    }
    data.reset();
    inFrame = true;
    type = packetType;
    width = packetWidth;
    height = packetHeight;
    restartInterval = interval;
    tables = frameTables;
  }

  /** The JPEG: header as RFC 2435 Appendix B builds it, the scan data, EOI. */
  private byte[] jpeg() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.size() + 700);
    out.write(0xFF);
    out.write(0xD8);
    int tableCount = tables.length / 64;
    for (int id = 0; id < tableCount; id++) {
      segment(out, 0xDB, 67);
      out.write(id);
      out.write(tables, id * 64, 64);
    }
    int chromaTable = tableCount > 1 ? 1 : 0;
    segment(out, 0xC0, 17);
    out.write(8);
    u16(out, height);
    u16(out, width);
    out.write(3);
    out.write(new byte[] {1, (byte) ((type & 0x3F) == 1 ? 0x22 : 0x21), 0}, 0, 3);
    out.write(new byte[] {2, 0x11, (byte) chromaTable}, 0, 3);
    out.write(new byte[] {3, 0x11, (byte) chromaTable}, 0, 3);
    huffman(out, 0x00, StandardHuffmanTables.DC_LUMINANCE);
    huffman(out, 0x10, StandardHuffmanTables.AC_LUMINANCE);
    huffman(out, 0x01, StandardHuffmanTables.DC_CHROMINANCE);
    huffman(out, 0x11, StandardHuffmanTables.AC_CHROMINANCE);
    if (restartInterval > 0) {
      segment(out, 0xDD, 4);
      u16(out, restartInterval);
    }
    segment(out, 0xDA, 12);
    out.write(new byte[] {3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 0x3F, 0}, 0, 10);
    byte[] scan = data.toByteArray();
    out.write(scan, 0, scan.length);
    boolean hasEoi = scan.length >= 2 && scan[scan.length - 2] == (byte) 0xFF && scan[scan.length - 1] == (byte) 0xD9;
    if (!hasEoi) {
      out.write(0xFF);
      out.write(0xD9);
    }
    return out.toByteArray();
  }

  private static void huffman(ByteArrayOutputStream out, int classAndId, byte[] table) {
    segment(out, 0xC4, 3 + table.length);
    out.write(classAndId);
    out.write(table, 0, table.length);
  }

  private static void segment(ByteArrayOutputStream out, int marker, int length) {
    out.write(0xFF);
    out.write(marker);
    u16(out, length);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}
