package dev.camrelay.relay.internal.port;

import dev.camrelay.relay.PortBindException;
import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A listening Netty TCP port with the relay's connection limits, for the ports built on Netty (camera TCP ingest,
 * RTSP): binds (a {@link PortBindException} naming the setting when it cannot), refuses a connection over the total
 * or per-address limit at once (one rate-limited log line), keeps the accepted connections so {@link #close} can
 * end them, and gives each one's limiter slot back exactly once when it closes.
 */
public final class TcpListener implements AutoCloseable {
  /** Sets up an accepted connection's pipeline; {@code remote} is its address as the logs write it. */
  public interface Acceptor {
    void accept(SocketChannel ch, String remote);
  }

  private final String what;
  private final PortBindException.Setting setting;
  private final ConnectionLimiter limiter;
  private final LogLimiter logs;
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private Channel serverChannel;

  /** {@code what}: the port's name in messages, e.g. "TCP ingest" or "RTSP". */
  public TcpListener(String what, PortBindException.Setting setting, ConnectionLimiter limiter, LogLimiter logs) {
    this.what = what;
    this.setting = setting;
    this.limiter = limiter;
    this.logs = logs;
  }

  /** Binds {@code host:port} (0: any free port) and returns the bound port. */
  public int bind(EventLoopGroup boss, EventLoopGroup workers, String host, int port, Acceptor acceptor)
      throws IOException {
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 256)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accept(ch, acceptor);
          }
        });
    ChannelFuture f = b.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw BindFailures.of(setting, what, host, port, f.cause());
    }
    serverChannel = f.channel();
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  private void accept(SocketChannel ch, Acceptor acceptor) {
    InetSocketAddress peer = ch.remoteAddress();
    InetAddress ip = peer.getAddress();
    String remote = Addresses.of(peer);
    String refusal = limiter.tryAcquire(ip);
    if (refusal != null) {
      logs.warn(what + "-limit", "refused " + what + " connection from " + remote + ": " + refusal);
      ch.close();
      return;
    }
    channels.add(ch);
    ch.closeFuture().addListener(f -> {
      limiter.release(ip);
      channels.remove(ch);
    });
    acceptor.accept(ch, remote);
  }

  /** Connections open right now (for tests). */
  public int connectionCount() {
    return channels.size();
  }

  /** Unbinds and closes every connection, waiting briefly for them to close. */
  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    for (Channel ch : channels) {
      ch.close();
    }
    for (Channel ch : channels) {
      ch.closeFuture().awaitUninterruptibly(200, TimeUnit.MILLISECONDS);
    }
  }
}
