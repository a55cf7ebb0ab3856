package dev.camrelay.relay.internal.port.rtsp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP port's two UDP sockets, shared by every client that takes RTP over UDP: one sends RTP, the next one up
 * RTCP (an even/odd pair when the ports are free, as RFC 3550 suggests), announced as {@code server_port} in SETUP.
 *
 * <p>What clients send to them is read and dropped at once: RTCP receiver reports (and other RTCP) arriving at the
 * RTCP socket from a playing client's RTCP port tell that client's session it is alive ({@link #onRtcpFrom}), as
 * RFC 2326 lets clients keep a UDP session alive; anything else (ffmpeg's NAT-opening packets to the RTP socket,
 * strangers) is ignored. The reports' contents (loss, jitter) are not used.
 */
final class UdpPorts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpPorts.class);

  final DatagramChannel rtp;
  final DatagramChannel rtcp;
  private final Map<InetSocketAddress, Runnable> rtcpListeners;

  private UdpPorts(DatagramChannel rtp, DatagramChannel rtcp, Map<InetSocketAddress, Runnable> rtcpListeners) {
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.rtcpListeners = rtcpListeners;
  }

  static UdpPorts bind(EventLoopGroup group, String host) throws IOException {
    Map<InetSocketAddress, Runnable> listeners = new ConcurrentHashMap<>();
    Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .option(ChannelOption.SO_SNDBUF, 1 << 20)
        .handler(new Receiver(listeners));
    for (int attempt = 0; attempt < 20; attempt++) {
      DatagramChannel rtp = bindOne(b, host, 0);
      int port = rtp.localAddress().getPort();
      if (port % 2 == 0 && port < 65535) {
        ChannelFuture next = b.bind(new InetSocketAddress(host, port + 1)).awaitUninterruptibly();
        if (next.isSuccess()) {
          return new UdpPorts(rtp, (DatagramChannel) next.channel(), listeners);
        }
      }
      rtp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    DatagramChannel rtp = bindOne(b, host, 0);
    return new UdpPorts(rtp, bindOne(b, host, 0), listeners);
  }

  private static DatagramChannel bindOne(Bootstrap b, String host, int port) throws IOException {
    ChannelFuture f = b.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException("cannot bind a UDP port for RTP on " + host + ": " + f.cause().getMessage(), f.cause());
    }
    return (DatagramChannel) f.channel();
  }

  /**
   * Runs {@code heard} (on the socket's event loop) for each RTCP packet from {@code clientRtcp} until
   * {@link #stopListening}; a later listener for the same address replaces it.
   */
  void onRtcpFrom(InetSocketAddress clientRtcp, Runnable heard) {
    rtcpListeners.put(clientRtcp, heard);
  }

  /** Undoes {@link #onRtcpFrom} if {@code heard} is still the listener for {@code clientRtcp}. */
  void stopListening(InetSocketAddress clientRtcp, Runnable heard) {
    rtcpListeners.remove(clientRtcp, heard);
  }

  /**
   * Reads and releases every datagram; tells the listener of an RTCP packet's sender. Send errors (a client that
   * went away) are no news: logged at debug, not as Netty's unhandled warning.
   */
  @ChannelHandler.Sharable
  private static final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Map<InetSocketAddress, Runnable> listeners;

    Receiver(Map<InetSocketAddress, Runnable> listeners) {
      this.listeners = listeners;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      Runnable heard = listeners.get(packet.sender());
      if (heard != null && isRtcp(packet.content())) {
        heard.run();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("RTP/UDP send failed: {}", cause.toString());
    }
  }

  /** RTP version 2 and an RTCP packet type (200 SR to 204 APP), as every compound RTCP packet starts (RFC 3550). */
  static boolean isRtcp(ByteBuf b) {
    if (b.readableBytes() < 8) {
      return false;
    }
    int type = b.getUnsignedByte(b.readerIndex() + 1);
    return (b.getUnsignedByte(b.readerIndex()) >> 6) == 2 && type >= 200 && type <= 204;
  }

  int rtpPort() {
    return rtp.localAddress().getPort();
  }

  int rtcpPort() {
    return rtcp.localAddress().getPort();
  }

  @Override
  public void close() {
    rtp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    rtcp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
  }
}
