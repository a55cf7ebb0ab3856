package dev.camrelay.relay.internal.port.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose next request head (request line and headers) is not complete in time, so clients that
 * send headers one byte at a time (slowloris) or keep idle connections open cannot pin sockets.
 *
 * <p>The clock starts when the connection opens (so a TLS handshake counts too) and again after each complete
 * response; it stops when a full request head has been decoded. A long-running response (an MJPEG stream) does not
 * restart it, since that stream never writes a last content.
 */
final class RequestHeadTimeout extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestHeadTimeout.class);

  private final long timeoutNanos;
  private ScheduledFuture<?> timer;

  RequestHeadTimeout(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      disarm();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof LastHttpContent) {
      // The response is complete; a keep-alive client now has the timeout again to send its next request head.
      ctx.write(msg, promise.unvoid()).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess() && f.channel().isActive()) {
          arm(ctx);
        }
      });
      return;
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer = ctx.executor().schedule(() -> {
      log.debug("closing HTTP connection from {}: no complete request head within {} ms",
          ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
      ctx.close();
    }, timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
