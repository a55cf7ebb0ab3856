package dev.camrelay.relay.internal.output.rtsp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Lets threads other than the connection's event loop write to an RTSP connection's socket directly
 * ({@link InterleavedSink}) without their bytes ever landing inside bytes Netty is writing, or the other way round.
 * It sits first in the pipeline (next to the socket) and holds its own monitor while Netty flushes; a direct writer
 * holds the same monitor and writes only when Netty has nothing waiting. Netty's later writes of a partly written
 * buffer (when the socket drains) need no guard: while any of its bytes wait, nobody writes directly. One per
 * connection.
 *
 * <p>Nothing may take another lock while holding this one: Netty completes write futures inside the flush, so their
 * listeners must only hand work to the event loop (as {@link RtspViewer} does).
 */
public final class SocketWriteGuard extends ChannelOutboundHandlerAdapter {
  @Override
  public void flush(ChannelHandlerContext ctx) {
    synchronized (this) {
      ctx.flush();
    }
  }
}
