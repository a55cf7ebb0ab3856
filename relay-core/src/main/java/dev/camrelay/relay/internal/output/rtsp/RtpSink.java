package dev.camrelay.relay.internal.output.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import java.nio.ByteBuffer;

/**
 * Where one RTSP client's RTP and RTCP packets go: interleaved on its RTSP connection ({@link InterleavedSink}) or
 * as UDP datagrams to its ports ({@link UdpSink}). Each write takes ownership of the buffers passed.
 */
public interface RtpSink {
  /** Bytes of an RTP header. */
  int RTP_HEADER = 12;

  /** Whether a frame may start now (the connection is not backed up); UDP sinks always say yes. */
  boolean writable();

  /** Bytes this sink sends before each RTP header ({@link #writePrefix}); 0 unless the transport frames packets. */
  default int prefixBytes() {
    return 0;
  }

  /**
   * Sets the {@link #prefixBytes} of one RTP packet of {@code rtpPacketBytes} (header + payload) at absolute
   * {@code index} in {@code out} (big-endian, with room for them).
   */
  default void setPrefix(ByteBuffer out, int index, int rtpPacketBytes) {}

  /**
   * Queues every RTP packet of {@code frame}: packet {@code i} is the {@link #prefixBytes} + 12-byte RTP header at
   * {@code (prefixBytes() + 12) * i} in {@code headers}, then the frame's payload {@code i}. Takes ownership of
   * {@code headers}; returns the future of the frame's last packet.
   */
  ChannelFuture writeFrame(ByteBuf headers, RtpFrame frame);

  /** Queues one RTCP compound packet. */
  void writeRtcp(ByteBuf packet);

  /** Sends what was queued. */
  void flush();

  /** A short label for logs, e.g. {@code RTP over RTSP/TCP}. */
  String describe();
}
