package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Admits HTTP connections through the relay's {@link ConnectionLimiter} (shared with the other ports, so the limits
 * are relay-wide) and counts the HTTP ones. A connection beyond a limit is marked refused and answered 503 by the
 * request handler, so the client sees why; it is not counted.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
  static final AttributeKey<String> REFUSED = AttributeKey.valueOf("camrelay.http.refused");
  private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("camrelay.http.counted");

  /** How long a refusal line stands for all refusals of its kind from one client address. */
  static final long REFUSAL_LOG_PERIOD_MS = 10_000;

  private final ConnectionLimiter limiter;
  private final AtomicInteger open = new AtomicInteger();
  private final LogLimiter tlsRefusals =
      new LogLimiter(LoggerFactory.getLogger(TlsOrRefuse.class), REFUSAL_LOG_PERIOD_MS);

  ConnectionGate(ConnectionLimiter limiter) {
    this.limiter = limiter;
  }

  /** Limits {@link TlsOrRefuse}'s lines about non-TLS clients; one per port, like this gate. */
  LogLimiter tlsRefusals() {
    return tlsRefusals;
  }

  /** Open HTTP connections that were admitted. */
  int open() {
    return open.get();
  }

  /** Open connections on all of the relay's ports that share the limiter. */
  int relayTotal() {
    return limiter.total();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
      InetAddress address = remote.getAddress();
      String refusal = limiter.tryAcquire(address);
      if (refusal == null) {
        ctx.channel().attr(COUNTED).set(address);
        open.incrementAndGet();
      } else {
        ctx.channel().attr(REFUSED).set("too many connections: " + refusal);
      }
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    InetAddress counted = ctx.channel().attr(COUNTED).getAndSet(null);
    if (counted != null) {
      limiter.release(counted);
      open.decrementAndGet();
    }
    super.channelInactive(ctx);
  }
}
