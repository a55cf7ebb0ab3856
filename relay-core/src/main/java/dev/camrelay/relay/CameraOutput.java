package dev.camrelay.relay;

/**
 * Where a camera's frames go: a viewer connection, a recorder, a forwarder. Attach one with
 * {@link CameraHub#attachOutput}; every built-in output (WebSocket and MJPEG viewers, {@code onFrame} listeners) is a
 * {@code CameraOutput}. The contract, the same for all of them:
 *
 * <ul>
 *   <li>At most one frame is in flight: after {@link #onFrame} the relay sends nothing more until the output calls
 *       {@link OutputHandle#ready()}. Meanwhile at most one frame waits, and a newer frame replaces it (newest wins;
 *       the replaced one counts as skipped). So a slow output gets fewer, fresh frames and holds at most two.</li>
 *   <li>A frame is a whole JPEG or nothing; outputs never see partial data.</li>
 *   <li>An output whose frame stays in flight with no {@link OutputHandle#progress()} for the relay's stall timeout
 *       is detached ({@link DetachReason#STALLED}); one that throws from a callback is detached
 *       ({@link DetachReason#FAILED}).</li>
 *   <li>A slow or stuck output never slows the camera or another output: {@link #onFrame} must not block (start an
 *       asynchronous write, or hand the frame to the output's own thread, and return).</li>
 * </ul>
 *
 * <p>Threads: {@link #onFrame} runs on whichever relay thread made the frame deliverable — the publishing source's
 * thread, or the thread that called {@link OutputHandle#ready()} or {@link OutputHandle#requestLatest()} — never
 * twice at once for one output.
 */
public interface CameraOutput {
  /** Called once, before any frame, with the handle {@link CameraHub#attachOutput} is about to return. */
  default void onAttached(OutputHandle handle) {}

  /**
   * The next frame. Take it, start sending it, return; call {@link OutputHandle#ready()} when done with it (from any
   * thread, or before returning when it went out at once).
   */
  void onFrame(CameraFrame frame);

  /**
   * The relay detached this output ({@link DetachReason#STALLED}, {@link DetachReason#SHUTTING_DOWN},
   * {@link DetachReason#FAILED}); release what it holds and close its connection. Called at most once, not when the
   * output closed its handle itself. A call to {@link #onFrame} may still be running on another thread.
   */
  default void onDetached(DetachReason reason, String message) {}

  /** A short label for stats and logs, e.g. {@code ws}, {@code mjpeg}, {@code rtsp}; default {@code java}. */
  default String kind() {
    return "java";
  }
}
