package dev.camrelay.relay.internal.http;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.internal.hub.FrameMailbox;
import dev.camrelay.relay.internal.hub.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MJPEG viewer: frames from the camera wait in a one-slot {@link FrameMailbox} (newest replaces unsent) and are
 * written one at a time, the next only after the previous write completed and the channel is writable. A viewer on a
 * slow link therefore gets fewer but fresh frames, never a growing backlog; a viewer whose current frame has not
 * gone out within the stall timeout is closed.
 *
 * <p>{@link #offer} is called on the camera's publishing thread and never blocks; all other state lives on the
 * channel's event loop.
 */
final class MjpegViewer implements FrameSink {
  private final Channel channel;
  private final EventLoop loop;
  private final String cameraId;
  private final MjpegParts parts;
  private final long stallNanos;
  private final FrameMailbox mailbox = new FrameMailbox();
  private final MjpegCounters counters;

  // Event-loop state.
  private boolean writing;
  private long writeStartedNanos;
  private long framesSent;
  private ScheduledFuture<?> stallCheck;
  private String closeReason;

  MjpegViewer(Channel channel, String cameraId, MjpegParts parts, Duration stallTimeout, MjpegCounters counters) {
    this.channel = channel;
    this.counters = counters;
    this.loop = channel.eventLoop();
    this.cameraId = cameraId;
    this.parts = parts;
    this.stallNanos = stallTimeout.toNanos();
  }

  /** Starts the stall watchdog; call on the event loop before the viewer is attached to its camera. */
  void start() {
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(stallNanos / 4, TimeUnit.SECONDS.toNanos(1)));
    stallCheck = loop.scheduleAtFixedRate(this::checkStall, period, period, TimeUnit.NANOSECONDS);
  }

  @Override
  public void offer(JpegFrame frame) {
    if (mailbox.put(frame)) {
      try {
        loop.execute(this::pump);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        mailbox.clear(); // the relay is shutting down; this viewer is about to be closed
      }
    } else {
      counters.skipped.increment();
    }
  }

  /** Sends the waiting frame if the previous one is out and the socket can take more. Event loop only. */
  void pump() {
    if (writing || !channel.isActive() || !channel.isWritable()) {
      return;
    }
    JpegFrame frame = mailbox.take();
    if (frame == null) {
      return;
    }
    ByteBuf part = parts.retainedPart(frame);
    writing = true;
    writeStartedNanos = System.nanoTime();
    channel.writeAndFlush(part).addListener(this::written);
  }

  private void written(io.netty.util.concurrent.Future<? super Void> future) {
    writing = false;
    if (!future.isSuccess()) {
      // The peer went away mid-write; channelInactive does the rest.
      ((ChannelFuture) future).channel().close();
      return;
    }
    framesSent++;
    counters.sent.increment();
    pump();
  }

  /** The channel became writable again (called by the request handler). */
  void writabilityChanged() {
    pump();
  }

  private void checkStall() {
    if (writing && System.nanoTime() - writeStartedNanos > stallNanos) {
      closeReason = "stalled: a frame was not taken within " + TimeUnit.NANOSECONDS.toMillis(stallNanos) + " ms";
      channel.close();
    }
  }

  /** Stops the watchdog and drops the waiting frame; called once the channel is closed. */
  void stop() {
    if (stallCheck != null) {
      stallCheck.cancel(false);
    }
    mailbox.clear();
  }

  String closeReason() {
    return closeReason;
  }

  long framesSent() {
    return framesSent;
  }

  long framesSkipped() {
    return mailbox.skipped();
  }

  String cameraId() {
    return cameraId;
  }
}
