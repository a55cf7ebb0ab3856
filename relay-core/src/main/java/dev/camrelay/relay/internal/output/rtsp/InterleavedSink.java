package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPayloads;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundInvoker;

/**
 * RTP and RTCP interleaved on the client's RTSP connection (RFC 2326 10.12): each packet behind {@code $}, its
 * channel number and its 16-bit length. Packets are written in order on one TCP stream, so a frame's packets are
 * never dropped in the middle.
 */
public final class InterleavedSink implements RtpSink {
  private final Channel channel;
  private final ChannelOutboundInvoker rawOut;
  private final int rtpChannel;
  private final int rtcpChannel;

  /**
   * @param rawOut where the bytes are written: the pipeline below the RTSP response encoder
   * @param rtpChannel the interleaved channel for RTP; {@code rtcpChannel} the one for RTCP
   */
  public InterleavedSink(Channel channel, ChannelOutboundInvoker rawOut, int rtpChannel, int rtcpChannel) {
    this.channel = channel;
    this.rawOut = rawOut;
    this.rtpChannel = rtpChannel;
    this.rtcpChannel = rtcpChannel;
  }

  @Override
  public boolean writable() {
    return channel.isActive() && channel.isWritable();
  }

  /**
   * The whole frame as one write of one buffer: per packet its 4-byte {@code $}-prefix, its RTP header and a copy of
   * its payload from the camera's shared buffer. One contiguous copy per client (about the frame's size, from a
   * buffer every client reads, so it is in cache) costs less than handing the socket two small buffers per packet.
   */
  @Override
  public ChannelFuture writeFrame(ByteBuf headers, RtpFrame frame) {
    RtpJpegPayloads payloads = frame.payloads();
    int count = payloads.count();
    ByteBuf out = channel.alloc().directBuffer(count * (4 + RTP_HEADER) + payloads.totalBytes());
    try {
      for (int i = 0; i < count; i++) {
        out.writeByte('$').writeByte(rtpChannel).writeShort(RTP_HEADER + payloads.length(i))
            .writeBytes(headers, RTP_HEADER * i, RTP_HEADER)
            .writeBytes(frame.buffer(), payloads.offset(i), payloads.length(i));
      }
    } catch (RuntimeException e) {
      out.release();
      throw e;
    } finally {
      headers.release();
    }
    return rawOut.write(out);
  }

  @Override
  public void writeRtcp(ByteBuf packet) {
    rawOut.write(prefix(rtcpChannel, packet.readableBytes()), rawOut.voidPromise());
    rawOut.write(packet, rawOut.voidPromise());
  }

  private ByteBuf prefix(int interleavedChannel, int length) {
    return channel.alloc().directBuffer(4).writeByte('$').writeByte(interleavedChannel).writeShort(length);
  }

  @Override
  public void flush() {
    rawOut.flush();
  }

  @Override
  public String describe() {
    return "RTP over RTSP/TCP, channels " + rtpChannel + "-" + rtcpChannel;
  }
}
