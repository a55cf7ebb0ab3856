package dev.camrelay.relay.internal.port.rtsp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP port's two UDP sockets, shared by every client that takes RTP over UDP: one sends RTP, the next one up
 * RTCP (an even/odd pair when the ports are free, as RFC 3550 suggests), announced as {@code server_port} in SETUP.
 * They read nothing: clients' receiver reports are left unread (RTSP keep-alives keep a session alive).
 */
final class UdpPorts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpPorts.class);

  final DatagramChannel rtp;
  final DatagramChannel rtcp;

  private UdpPorts(DatagramChannel rtp, DatagramChannel rtcp) {
    this.rtp = rtp;
    this.rtcp = rtcp;
  }

  static UdpPorts bind(EventLoopGroup group, String host) throws IOException {
    Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.SO_SNDBUF, 1 << 20)
        .handler(new QuietErrors());
    for (int attempt = 0; attempt < 20; attempt++) {
      DatagramChannel rtp = bindOne(b, host, 0);
      int port = rtp.localAddress().getPort();
      if (port % 2 == 0 && port < 65535) {
        ChannelFuture next = b.bind(new InetSocketAddress(host, port + 1)).awaitUninterruptibly();
        if (next.isSuccess()) {
          return new UdpPorts(rtp, (DatagramChannel) next.channel());
        }
      }
      rtp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    DatagramChannel rtp = bindOne(b, host, 0);
    return new UdpPorts(rtp, bindOne(b, host, 0));
  }

  private static DatagramChannel bindOne(Bootstrap b, String host, int port) throws IOException {
    ChannelFuture f = b.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException("cannot bind a UDP port for RTP on " + host + ": " + f.cause().getMessage(), f.cause());
    }
    return (DatagramChannel) f.channel();
  }

  /** Send errors (a client that went away) are no news: logged at debug, not as Netty's unhandled warning. */
  @ChannelHandler.Sharable
  private static final class QuietErrors extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("RTP/UDP send failed: {}", cause.toString());
    }
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
