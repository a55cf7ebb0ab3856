package dev.camrelay.relay;

import dev.camrelay.frame.jpeg.JpegFrame;

/**
 * A source's attachment to a camera, returned by {@link CameraHub#attachSource}. Thread-safe. Publishing after the
 * source was detached (replaced, relay closed) does nothing and returns false, so a replaced connection still
 * draining its socket cannot overwrite its successor's frames.
 */
public interface SourceHandle extends AutoCloseable {
  String cameraId();

  /**
   * Publishes one complete JPEG to every output of the camera (relay-counted sequence, capture time = now). Never
   * blocks on outputs: a slow output gets the newest frame when it is ready.
   *
   * @return false when this source is no longer attached (stop publishing)
   */
  boolean publish(JpegFrame frame);

  /**
   * Publishes one complete JPEG with the source's own frame number and capture time (microseconds on the source's
   * clock), as {@link CameraFrame#sequence()} and {@link CameraFrame#captureMicros()} pass them on.
   *
   * @return false when this source is no longer attached
   */
  boolean publish(JpegFrame frame, long sequence, long captureMicros);

  /** Counts a frame the camera sent that could not be published (invalid, oversized, cut short). */
  void frameDropped();

  /**
   * Whether the relay wants frames now: always true for sources that are not on-demand; for on-demand ones, whether
   * someone watches. Read it right after attaching; later changes arrive as {@link CameraSource#onStreamRequest}.
   */
  boolean streamWanted();

  /**
   * Answers request {@code requestId} (see {@link ControlRequest#id()}) with the camera's reply JSON; late, unknown
   * or already answered requests are ignored (false).
   */
  boolean reply(long requestId, String json);

  /**
   * Changes what the source declared at attach: its kind and remote, as the source learns more (e.g. a raw camera
   * found to open one connection per frame, or reconnecting from another port). Shown in stats from then on.
   *
   * @throws IllegalArgumentException if {@code info} changes the control or on-demand capability (attach anew)
   */
  void update(SourceInfo info);

  /** Whether this source is still the camera's attached source. */
  boolean attached();

  /**
   * Detaches this source (the camera shows as disconnected with {@code reason}); unanswered control requests fail.
   * Idempotent; {@link CameraSource#onDetached} is not called.
   */
  void detach(String reason);

  /** Same as {@code detach("source closed")}. */
  @Override
  void close();
}
