package dev.camrelay.relay.internal.hub;

import dev.camrelay.frame.jpeg.JpegFrame;

/** Where a camera hands frames to one viewer. {@link #offer} must never block: park the frame or drop it. */
@FunctionalInterface
public interface FrameSink {
  void offer(JpegFrame frame);
}
