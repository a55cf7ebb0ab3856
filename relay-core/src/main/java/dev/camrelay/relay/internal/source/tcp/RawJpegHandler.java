package dev.camrelay.relay.internal.source.tcp;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raw JPEG connection: bytes are cut into complete JPEGs by {@link JpegSplitter} and published as the default
 * camera. A frame cut short by the connection closing is never published (counted as dropped); oversized or corrupt
 * frames are dropped and counted, the connection goes on. Silent for the camera idle timeout: closed.
 */
public final class RawJpegHandler extends ChannelInboundHandlerAdapter implements JpegSplitter.Listener {
  private static final Logger log = LoggerFactory.getLogger(RawJpegHandler.class);

  private final IngestContext context;
  private final String cameraId;
  private final String remote;
  private final JpegSplitter splitter;
  private ChannelHandlerContext ctx;
  private int frames;
  private boolean replaced;

  public RawJpegHandler(IngestContext context, String cameraId, String remote) {
    this.context = context;
    this.cameraId = cameraId;
    this.remote = remote;
    this.splitter = new JpegSplitter(context.config().maxFrameBytes(), this);
  }

  String remote() {
    return remote;
  }

  int frames() {
    return frames;
  }

  boolean midFrame() {
    return splitter.midFrame();
  }

  /** Another raw connection took over this camera: close once no frame is half received. */
  void replace() {
    replaced = true;
    if (!splitter.midFrame() && ctx != null) {
      ctx.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      for (ByteBuffer b : buf.nioBuffers()) {
        splitter.feed(b);
      }
    } finally {
      buf.release();
    }
  }

  @Override
  public void onFrame(JpegFrame frame) {
    frames++;
    context.rawSources().frame(cameraId, this, ctx.channel(), frame);
    if (replaced && !splitter.midFrame()) {
      ctx.close();
    }
  }

  @Override
  public void onDiscard(JpegSplitter.Discard reason, long bytes, String detail) {
    if (reason == JpegSplitter.Discard.GARBAGE) {
      context.logLimiter().info("raw-garbage:" + cameraId, "camera '" + cameraId + "' (raw from " + remote
          + "): skipped " + bytes + " bytes between frames (" + detail + ")");
      return;
    }
    context.rawSources().dropped(cameraId);
    context.logLimiter().warn("raw-drop:" + cameraId, "camera '" + cameraId + "' (raw from " + remote
        + "): dropped " + reason.name().toLowerCase() + " frame of " + bytes + " bytes (" + detail + ")");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // A frame cut short is reported as TRUNCATED and never published.
    splitter.endOfStream();
    context.rawSources().closed(cameraId, this, ctx.channel());
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      context.logLimiter().info("raw-idle:" + cameraId, "closing raw connection from " + remote + " (camera '"
          + cameraId + "'): no data for " + context.config().cameraIdleTimeout().toMillis() + " ms");
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("raw connection {}: {}", remote, cause.toString());
    ctx.close();
  }
}
