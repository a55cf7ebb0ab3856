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
  private static final int PREFIX = 4;
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
  public int prefixBytes() {
    return PREFIX;
  }

  @Override
  public void writePrefix(ByteBuf out, int rtpPacketBytes) {
    prefix(out, rtpChannel, rtpPacketBytes);
  }

  /**
   * Per packet its prefix and RTP header from {@code headers}, then its payload as a slice of the camera's shared
   * buffer: nothing of the frame is copied per client (the socket gathers the pieces in one {@code writev}). Frames
   * are packetized for this transport with {@link dev.camrelay.frame.rtp.RtpJpegPacketizer#MAX_PAYLOAD_BYTES}, so a
   * frame up to ~64 KB is one packet: two buffers per client and frame.
   */
  @Override
  public ChannelFuture writeFrame(ByteBuf headers, RtpFrame frame) {
    int count = frame.payloads().count();
    int stride = PREFIX + RTP_HEADER;
    try {
      for (int i = 0; i < count - 1; i++) {
        rawOut.write(headers.retainedSlice(stride * i, stride), rawOut.voidPromise());
        rawOut.write(frame.retainedPayload(i), rawOut.voidPromise());
      }
      rawOut.write(headers.readerIndex(stride * (count - 1)).retain(), rawOut.voidPromise()); // the last header
      return rawOut.write(frame.retainedPayload(count - 1));
    } finally {
      headers.release();
    }
  }

  @Override
  public void writeRtcp(ByteBuf packet) {
    rawOut.write(prefix(channel.alloc().directBuffer(PREFIX), rtcpChannel, packet.readableBytes()),
        rawOut.voidPromise());
    rawOut.write(packet, rawOut.voidPromise());
  }

  private static ByteBuf prefix(ByteBuf out, int interleavedChannel, int length) {
    return out.writeByte('$').writeByte(interleavedChannel).writeShort(length);
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
