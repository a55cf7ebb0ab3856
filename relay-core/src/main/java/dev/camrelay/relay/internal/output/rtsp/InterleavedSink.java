package dev.camrelay.relay.internal.output.rtsp;

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

  @Override
  public ChannelFuture writeRtp(ByteBuf header, ByteBuf payload, boolean wantFuture) {
    rawOut.write(prefix(rtpChannel, header.readableBytes() + payload.readableBytes()), rawOut.voidPromise());
    rawOut.write(header, rawOut.voidPromise());
    if (wantFuture) {
      return rawOut.write(payload);
    }
    rawOut.write(payload, rawOut.voidPromise());
    return null;
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
