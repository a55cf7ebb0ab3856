package dev.camrelay.relay.internal.output.mjpeg;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.internal.output.SharedEncoding;
import dev.camrelay.relay.internal.port.ViewerSendBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * One MJPEG viewer, an output on the hub's seam ({@link CameraOutput}): the hub hands it one frame at a time (newest
 * wins while one is in flight); it writes the frame as one multipart part once the channel is writable, and says
 * {@link OutputHandle#ready()} when the write completed. A viewer on a slow link therefore gets fewer but fresh
 * frames, never a growing backlog; one whose frame does not go out within the stall timeout is detached by the hub
 * and closed here.
 *
 * <p>Each write reports its progress to the viewer's {@link ViewerSendBuffer}, which sizes the socket's kernel send
 * buffer to the rate this viewer takes bytes at (Netty's NIO transport, like Java NIO, cannot set
 * {@code TCP_NOTSENT_LOWAT}).
 *
 * <p>{@link #onFrame} is called on a relay thread and never blocks; all other state lives on the channel's event loop.
 */
public final class MjpegViewer implements CameraOutput {
  private final Channel channel;
  private final EventLoop loop;
  private final String cameraId;
  private final SharedEncoding parts;
  private final MjpegCounters counters;
  private final ViewerSendBuffer sendBuffer;
  private volatile OutputHandle handle;

  // Event-loop state.
  private CameraFrame unwritten;
  private long framesSent;
  private String closeReason;

  /** @param sendBufferCap the most this viewer's kernel send buffer may grow to ({@link ViewerSendBuffer}) */
  public MjpegViewer(Channel channel, String cameraId, SharedEncoding parts, MjpegCounters counters,
      int sendBufferCap) {
    this.channel = channel;
    this.sendBuffer = new ViewerSendBuffer(sendBufferCap,
        bytes -> channel.config().setOption(ChannelOption.SO_SNDBUF, bytes));
    this.counters = counters;
    this.loop = channel.eventLoop();
    this.cameraId = cameraId;
    this.parts = parts;
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h;
  }

  @Override
  public String kind() {
    return "mjpeg";
  }

  @Override
  public void onFrame(CameraFrame frame) {
    try {
      loop.execute(() -> {
        unwritten = frame;
        pump();
      });
    } catch (RejectedExecutionException e) {
      handle.close(); // the relay is shutting down; this viewer is about to be closed
    }
  }

  /** Writes the frame the hub handed over once the socket can take it. Event loop only. */
  void pump() {
    if (unwritten == null || !channel.isActive() || !channel.isWritable()) {
      return;
    }
    ByteBuf part = parts.retained(unwritten.jpeg());
    unwritten = null;
    ChannelProgressivePromise promise = channel.newProgressivePromise();
    promise.addListener(new PartProgress());
    channel.writeAndFlush(part, promise);
  }

  /** Event loop: reports each socket write of one part to the send buffer's sizer, then the part's completion. */
  private final class PartProgress implements ChannelProgressiveFutureListener {
    private long reported;

    @Override
    public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
      sendBuffer.wrote(System.nanoTime(), progress - reported, progress < total);
      reported = progress;
    }

    @Override
    public void operationComplete(ChannelProgressiveFuture future) {
      written(future);
    }
  }

  private void written(ChannelFuture future) {
    if (!future.isSuccess()) {
      // The peer went away mid-write; channelInactive does the rest.
      future.channel().close();
      return;
    }
    framesSent++;
    counters.sent.increment();
    handle.ready();
  }

  /** The channel became writable again (called by {@link MjpegStream}). */
  public void writabilityChanged() {
    pump();
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    try {
      loop.execute(() -> {
        closeReason = reason == DetachReason.STALLED ? "stalled: " + message : message;
        unwritten = null;
        channel.close();
      });
    } catch (RejectedExecutionException e) {
      channel.close();
    }
  }

  /** Detaches from the camera and drops the frame not yet written; called once the channel is closed. */
  public void stop() {
    OutputHandle h = handle;
    if (h != null) {
      counters.skipped.add(h.framesSkipped());
      h.close();
    }
    unwritten = null;
  }

  public String closeReason() {
    return closeReason;
  }

  public long framesSent() {
    return framesSent;
  }

  public long framesSkipped() {
    OutputHandle h = handle;
    return h == null ? 0 : h.framesSkipped();
  }

  public String cameraId() {
    return cameraId;
  }
}
