package dev.camrelay.relay.internal.output.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
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
   * The whole frame as one write: a composite of, per packet, its 16 bytes of {@code $}-prefix and RTP header (all
   * in one buffer) and a slice of the camera's shared payloads, so the socket takes it in gathering writes without a
   * copy and the pipeline is walked once per frame rather than per packet.
   */
  @Override
  public ChannelFuture writeFrame(ByteBuf headers, RtpFrame frame) {
    int count = frame.payloads().count();
    int prefixed = 4 + RTP_HEADER;
    ByteBuf prefixes = channel.alloc().directBuffer(count * prefixed);
    CompositeByteBuf out = channel.alloc().compositeDirectBuffer(count * 2);
    try {
      for (int i = 0; i < count; i++) {
        int start = prefixes.writerIndex();
        prefixes.writeByte('$').writeByte(rtpChannel).writeShort(RTP_HEADER + frame.payloads().length(i))
            .writeBytes(headers, RTP_HEADER * i, RTP_HEADER);
        out.addComponent(true, prefixes.retainedSlice(start, prefixed));
        out.addComponent(true, frame.retainedPayload(i));
      }
    } catch (RuntimeException e) {
      out.release();
      throw e;
    } finally {
      prefixes.release();
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
