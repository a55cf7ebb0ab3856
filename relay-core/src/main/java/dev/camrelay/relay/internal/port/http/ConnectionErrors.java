package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every HTTP connection: logs a failure (TLS at info, I/O such as a reset at debug, anything
 * else at warn; TLS and other failures at most once per client address and kind per 10 s, so a flood of failing
 * handshakes cannot flood the log) and closes the connection. Last, so it serves a connection both while it answers requests and after
 * it became an MJPEG stream. Stateless and shared.
 */
@ChannelHandler.Sharable
final class ConnectionErrors extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionErrors.class);

  static final ConnectionErrors INSTANCE = new ConnectionErrors();
  private static final LogLimiter limited = new LogLimiter(log, 10_000);

  private ConnectionErrors() {}

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    String client = Addresses.ipOf(ctx.channel().remoteAddress());
    if (root instanceof SSLException) {
      limited.info("tls " + client, "TLS failed with " + Addresses.of(ctx.channel().remoteAddress()) + ": " + root.getMessage());
    } else if (root instanceof IOException) {
      log.debug("HTTP connection {} failed: {}", Addresses.of(ctx.channel().remoteAddress()), root.getMessage());
    } else {
      limited.warn("failed " + client, "HTTP connection " + Addresses.of(ctx.channel().remoteAddress()) + " failed: " + root);
    }
    ctx.close();
  }
}
