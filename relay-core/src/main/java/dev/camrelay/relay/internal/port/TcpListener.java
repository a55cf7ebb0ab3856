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
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A listening Netty TCP port with the relay's connection limits, for the ports built on Netty (camera TCP ingest,
 * RTSP): binds (a {@link PortBindException} naming the setting when it cannot), refuses a connection over the total
 * or per-address limit at once (one rate-limited log line), keeps the accepted connections so {@link #close} can
 * end them, and gives each one's limiter slot back exactly once when it closes.
 *
 * <p>Two ways to listen: {@link #bind} (portable: one accept thread hands each connection to an I/O loop) and
 * {@link #bindOnEachLoop} (native loops from {@link NativeLoops}: every loop listens on the port and serves what it
 * accepts).
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
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();

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
    ServerBootstrap b = bootstrap(NioServerSocketChannel.class, acceptor).group(boss, workers);
    return listen(b, host, port);
  }

  /**
   * Binds {@code host:port} (0: any free port) once per loop of {@code nativeLoops} (from {@link NativeLoops}) with
   * {@code SO_REUSEPORT}: the kernel spreads new connections over the loops' sockets and each loop serves the ones it
   * accepted. Returns the bound port.
   *
   * <p>{@code SO_REUSEPORT} would also let another process of the same user (a second relay started by mistake) join
   * the port and take part of its connections, so a named port is first bound plainly, and refused as in use when
   * anything listens there. Limit: a second relay started in the same millisecond can still slip in between. Port 0
   * needs no check: the kernel never hands out a port in use for it.
   */
  public int bindOnEachLoop(EventLoopGroup nativeLoops, String host, int port, Acceptor acceptor) throws IOException {
    if (port != 0) {
      refuseIfInUse(host, port);
    }
    int bound = port;
    for (EventExecutor e : nativeLoops) {
      EventLoop loop = (EventLoop) e;
      ServerBootstrap b = bootstrap(EpollServerSocketChannel.class, acceptor)
          .option(EpollChannelOption.SO_REUSEPORT, true)
          .group(loop, loop);
      bound = listen(b, host, bound); // the first picks the port when asked for any; the others join it
    }
    return bound;
  }

  private void refuseIfInUse(String host, int port) throws IOException {
    try (ServerSocketChannel probe = ServerSocketChannel.open()) {
      probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw BindFailures.of(setting, what, host, port, e);
    }
  }

  private ServerBootstrap bootstrap(Class<? extends ServerChannel> type, Acceptor acceptor) {
    return new ServerBootstrap()
        .channel(type)
        .option(ChannelOption.SO_BACKLOG, 256)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accept(ch, acceptor);
          }
        });
  }

  private int listen(ServerBootstrap b, String host, int port) throws IOException {
    ChannelFuture f = b.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
    if (!f.isSuccess()) {
      close();
      throw BindFailures.of(setting, what, host, port, f.cause());
    }
    serverChannels.add(f.channel());
    return ((InetSocketAddress) f.channel().localAddress()).getPort();
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
    for (Channel server : serverChannels) {
      server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    for (Channel ch : channels) {
      ch.close();
    }
    for (Channel ch : channels) {
      ch.closeFuture().awaitUninterruptibly(200, TimeUnit.MILLISECONDS);
    }
  }
}
