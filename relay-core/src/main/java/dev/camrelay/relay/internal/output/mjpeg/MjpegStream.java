package dev.camrelay.relay.internal.output.mjpeg;

import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.output.SharedEncoding;
import dev.camrelay.relay.internal.output.SharedEncodings;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel handler of an HTTP connection that has become an MJPEG stream; {@link MjpegRoute} puts it in the
 * request handler's place. It holds the connection's viewer and its camera's shared parts: it lets the viewer write
 * again when the socket drains, and when the connection closes it logs how the viewer fared, detaches it and releases
 * the parts. Inbound bytes (further requests) are released unread; exceptions go on to the pipeline's last handler,
 * which logs them and closes the connection. Event loop only.
 */
final class MjpegStream extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(MjpegStream.class);

  private final MjpegViewer viewer;
  private final SharedEncoding parts;
  private final SharedEncodings registry;
  private boolean stopped;

  MjpegStream(MjpegViewer viewer, SharedEncoding parts, SharedEncodings registry) {
    this.viewer = viewer;
    this.parts = parts;
    this.registry = registry;
  }

  MjpegViewer viewer() {
    return viewer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      viewer.writabilityChanged();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!stopped) {
      String reason = viewer.closeReason() != null ? viewer.closeReason() : "connection closed";
      // Viewers come and go all the time: DEBUG, like WebSocket viewers (cameras are the INFO lines).
      log.debug("MJPEG viewer {} of camera '{}' left ({}): {} frames sent, {} skipped",
          Addresses.of(ctx.channel().remoteAddress()), viewer.cameraId(), reason, viewer.framesSent(),
          viewer.framesSkipped());
      stop();
    }
    super.channelInactive(ctx);
  }

  /** Detaches the viewer from its camera and releases the camera's parts; once. */
  void stop() {
    if (!stopped) {
      stopped = true;
      viewer.stop();
      registry.release(viewer.cameraId(), parts);
    }
  }
}
