package dev.camrelay.relay;

/**
 * A camera source, as the relay talks back to it: control commands, stream on/off for on-demand sources, and being
 * detached. Attach one with {@link CameraHub#attachSource}; it publishes frames through the {@link SourceHandle}
 * that returns. Every built-in ingest (framed and raw TCP, WebSocket, MJPEG pull, {@code CameraRelay.publish}) is a
 * {@code CameraSource}.
 *
 * <p>The relay calls these methods from its own threads, never while holding a lock a source could need; they must
 * not block (hand work to the source's own thread or event loop).
 */
public interface CameraSource {
  /**
   * A control command for the camera. Called only when the source declared {@link SourceInfo#control()}. Answer it
   * with {@link ControlRequest#reply} or {@link ControlRequest#fail}; unanswered requests time out.
   */
  default void onControl(ControlRequest request) {
    request.fail("this source takes no control commands");
  }

  /**
   * Start ({@code on}) or stop streaming. Called only when the source declared {@link SourceInfo#onDemand()}: with
   * {@code on} when the first output attaches to an idle camera, with {@code !on} after the last one left and the
   * on-demand linger passed. {@code request.json()} is the equivalent command {@code {"cmd":"stream","on":...}} for
   * sources that forward it to a camera (the default: {@link #onControl}); its answer is only logged.
   */
  default void onStreamRequest(boolean on, ControlRequest request) {
    onControl(request);
  }

  /**
   * The relay detached this source: {@link DetachReason#REPLACED} (another source attached with the same camera id;
   * {@code message} says which), {@link DetachReason#SHUTTING_DOWN}, or {@link DetachReason#FAILED}. Called at most
   * once, not when the source detached itself; the source should close its connection, telling the camera why.
   */
  void onDetached(DetachReason reason, String message);
}
