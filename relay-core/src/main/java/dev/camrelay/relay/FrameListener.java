package dev.camrelay.relay;

import dev.camrelay.frame.jpeg.JpegFrame;

/**
 * Receives every frame published by any camera, in order per camera.
 *
 * <p>Called on a relay-owned thread (a pool of 16), never on the delivery path: a slow listener never delays viewers,
 * cameras or other listeners. It is an output like any other ({@link CameraOutput}): while it is busy with a frame of
 * a camera, newer frames of that camera replace the one waiting, so it gets fewer, fresh frames; a listener busy with
 * one frame for longer than the relay's stall timeout is detached from that camera. A listener that needs every
 * frame, or its own threads, attaches a {@link CameraOutput} with {@link CameraHub#attachOutputs} instead.
 */
@FunctionalInterface
public interface FrameListener {
  void onFrame(String cameraId, JpegFrame frame);
}
