package dev.camrelay.relay.internal.output.rtsp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * An RTCP compound packet of a sender report and an SDES CNAME (RFC 3550 6.4.1, 6.5.1): it tells a client which
 * wall-clock time (NTP) an RTP timestamp stands for, so recorders can timestamp frames and sync streams.
 *
 * <pre>
 * SR:   |V=2|P|RC=0| PT=200 | length=6 | SSRC | NTP seconds | NTP fraction | RTP timestamp | packets | octets |
 * SDES: |V=2|P|SC=1| PT=202 | length   | SSRC | CNAME=1 | len | "camrelay" | 0 (end), padded to 32 bits      |
 * </pre>
 */
final class RtcpSenderReport {
  private static final byte[] CNAME = "camrelay".getBytes(StandardCharsets.US_ASCII);
  private static final long NTP_EPOCH_OFFSET_SECONDS = 2_208_988_800L; // 1900-01-01 to 1970-01-01
  /** SDES: 4 header + 4 SSRC + 2 item header + CNAME + 1 end, padded to a multiple of 4. */
  private static final int SDES_BYTES = (4 + 4 + 2 + CNAME.length + 1 + 3) / 4 * 4;
  static final int BYTES = 28 + SDES_BYTES;

  private RtcpSenderReport() {}

  /**
   * Writes {@link #BYTES} bytes.
   *
   * @param wallClockMicros when the frame with timestamp {@code rtpTimestamp} was taken, microseconds since 1970
   * @param packets RTP packets sent so far
   * @param octets RTP payload bytes sent so far
   */
  static void write(ByteBuf out, int ssrc, long wallClockMicros, int rtpTimestamp, long packets, long octets) {
    long seconds = Math.floorDiv(wallClockMicros, 1_000_000L);
    long micros = Math.floorMod(wallClockMicros, 1_000_000L);
    out.writeByte(0x80).writeByte(200).writeShort(6).writeInt(ssrc);
    out.writeInt((int) (seconds + NTP_EPOCH_OFFSET_SECONDS));
    out.writeInt((int) ((micros << 32) / 1_000_000L));
    out.writeInt(rtpTimestamp).writeInt((int) packets).writeInt((int) octets);
    out.writeByte(0x81).writeByte(202).writeShort(SDES_BYTES / 4 - 1).writeInt(ssrc);
    out.writeByte(1).writeByte(CNAME.length).writeBytes(CNAME);
    out.writeZero(SDES_BYTES - 4 - 4 - 2 - CNAME.length); // end of the item list, then padding
  }
}
