package dev.camrelay.relay.internal.output.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * RTP and RTCP as UDP datagrams (RFC 3550) from the relay's two shared UDP sockets to the client's ports. A frame's
 * packets are queued together and sent together, so a frame goes out whole or (when the network drops datagrams)
 * with gaps the client sees in the sequence numbers; never a frame cut short by the relay.
 */
public final class UdpSink implements RtpSink {
  private final DatagramChannel rtp;
  private final DatagramChannel rtcp;
  private final InetSocketAddress rtpTo;
  private final InetSocketAddress rtcpTo;

  public UdpSink(DatagramChannel rtp, DatagramChannel rtcp, InetSocketAddress rtpTo, InetSocketAddress rtcpTo) {
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.rtpTo = rtpTo;
    this.rtcpTo = rtcpTo;
  }

  @Override
  public boolean writable() {
    return rtp.isActive();
  }

  @Override
  public ChannelFuture writeFrame(ByteBuf headers, RtpFrame frame) {
    int count = frame.payloads().count();
    try {
      for (int i = 0; i < count - 1; i++) {
        rtp.write(packet(headers, frame, i), rtp.voidPromise());
      }
      return rtp.write(packet(headers, frame, count - 1));
    } finally {
      headers.release();
    }
  }

  private DatagramPacket packet(ByteBuf headers, RtpFrame frame, int i) {
    return new DatagramPacket(Unpooled.wrappedBuffer(headers.retainedSlice(RTP_HEADER * i, RTP_HEADER),
        frame.retainedPayload(i)), rtpTo);
  }

  @Override
  public void writeRtcp(ByteBuf packet) {
    rtcp.writeAndFlush(new DatagramPacket(packet, rtcpTo), rtcp.voidPromise());
  }

  @Override
  public void flush() {
    rtp.flush();
  }

  @Override
  public String describe() {
    return "RTP over UDP to " + rtpTo.getAddress().getHostAddress() + ":" + rtpTo.getPort() + "-" + rtcpTo.getPort();
  }
}
