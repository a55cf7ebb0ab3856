package dev.camrelay.relay.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open HTTP connections, in total and per client address, and marks connections beyond a limit as refused.
 * A refused connection is answered 503 by the request handler (so the client sees why) and then closed; it is not
 * counted. A limit of 0 or less means unlimited.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  static final AttributeKey<String> REFUSED = AttributeKey.valueOf("camrelay.http.refused");
  private static final AttributeKey<Counted> COUNTED = AttributeKey.valueOf("camrelay.http.counted");

  /** Marks a counted connection; {@code address} is null for non-IP channels. */
  private record Counted(InetAddress address) {}

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  ConnectionLimiter(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  int open() {
    return total.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    admit(ctx.channel());
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release(ctx.channel());
    super.channelInactive(ctx);
  }

  private void admit(Channel channel) {
    InetAddress address = addressOf(channel.remoteAddress());
    int now = total.incrementAndGet();
    if (maxTotal > 0 && now > maxTotal) {
      total.decrementAndGet();
      channel.attr(REFUSED).set("too many connections (the relay allows " + maxTotal + ")");
      return;
    }
    if (address != null) {
      // compute() keeps increment and removal of the per-address counter atomic with each other.
      int fromAddress = perAddress.compute(address, (a, c) -> c == null ? new AtomicInteger(1) : incremented(c)).get();
      if (maxPerAddress > 0 && fromAddress > maxPerAddress) {
        decrement(address);
        total.decrementAndGet();
        channel.attr(REFUSED).set("too many connections from " + address.getHostAddress()
            + " (the relay allows " + maxPerAddress + " per address)");
        return;
      }
    }
    channel.attr(COUNTED).set(new Counted(address));
  }

  private void release(Channel channel) {
    Counted counted = channel.attr(COUNTED).getAndSet(null);
    if (counted == null) {
      return;
    }
    total.decrementAndGet();
    if (counted.address() != null) {
      decrement(counted.address());
    }
  }

  private void decrement(InetAddress address) {
    perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  private static AtomicInteger incremented(AtomicInteger counter) {
    counter.incrementAndGet();
    return counter;
  }

  private static InetAddress addressOf(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
