package dev.camrelay.relay;

import dev.camrelay.frame.jpeg.JpegFrame;

/**
 * Receives every frame published by any camera, in order per camera.
 *
 * <p>Called on a relay-owned thread, never on the delivery path: a slow listener never delays viewers or cameras.
 * Each listener has its own queue of at most 64 frames; when it
 * falls further behind, the oldest frames are dropped for it.
 */
@FunctionalInterface
public interface FrameListener {
  void onFrame(String cameraId, JpegFrame frame);
}
