package dev.camrelay.relay;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between camera sources and frame outputs. Every built-in ingest attaches as a {@link CameraSource} and
 * every built-in viewer as a {@link CameraOutput}, through these methods only; embedders and extensions (RTSP,
 * recording, a cluster) plug in the same way. {@link CameraRelay} is one.
 *
 * <pre>
 * source ──attachSource──► SourceHandle.publish(frame) ──► camera: latest frame, stats ──► per output: one frame in
 *    ▲                                                          │                           flight + one waiting
 *    └──── onControl / onStreamRequest / onDetached ◄───────────┘ ◄── control(json) ─────── (newest wins) ──► onFrame
 * </pre>
 *
 * <p>Camera ids: 1..64 characters of {@code A-Z a-z 0-9 . _ -}, not {@code .} or {@code ..}; others are refused with
 * {@link IllegalArgumentException}. The relay keeps at most its configured number of cameras; beyond that attaching
 * fails with {@link IllegalStateException}.
 */
public interface CameraHub {
  /**
   * Attaches {@code source} as camera {@code cameraId}'s source. A source already attached under that id is detached
   * first ({@link CameraSource#onDetached} with {@link DetachReason#REPLACED}) and its unanswered control requests
   * fail. The camera shows as connected with {@link SourceInfo#kind()} as its ingest.
   *
   * @throws IllegalArgumentException if the camera id is not valid
   * @throws IllegalStateException if the relay has no room for another camera, or is closed
   */
  SourceHandle attachSource(String cameraId, SourceInfo info, CameraSource source);

  /**
   * Attaches {@code output} to camera {@code cameraId}, which need not exist yet (the output then waits for its first
   * frame; a camera only outputs ever asked for is forgotten when its last output leaves). The output counts as a
   * viewer in the camera's stats and starts an idle on-demand camera. See {@link CameraOutput} for the contract.
   *
   * @throws IllegalArgumentException if the camera id is not valid
   * @throws IllegalStateException if the relay has no room for another camera, or is closed
   */
  OutputHandle attachOutput(String cameraId, CameraOutput output);

  /**
   * Attaches an output from {@code factory} to every camera that has a source, now and as sources attach later
   * (before their first frame is delivered). Relay-wide outputs keep on-demand cameras streaming and are not counted
   * as viewers. In a cluster only cameras connected to this node get them, unless
   * {@link OutputFactory#remoteCameras()} says otherwise. Closing the returned handle detaches them all.
   */
  AutoCloseable attachOutputs(OutputFactory factory);

  /** The latest frame of camera {@code cameraId}, if it exists and has sent one. */
  Optional<CameraFrame> latestFrame(String cameraId);

  /** A snapshot of camera {@code cameraId}'s state, if the relay knows it. */
  Optional<CameraStats> camera(String cameraId);

  /** A snapshot of every camera the relay knows, sorted by id. */
  List<CameraStats> cameras();

  /**
   * Sends a control command (a JSON object such as {@code {"cmd":"quality","value":12}}, at most 8 KiB) to a camera.
   *
   * @return completes with the camera's reply JSON, or fails with {@link ControlException}: offline, unsupported, no
   *     reply within the control timeout, disconnected, too many waiting, not a JSON object or too large
   */
  CompletableFuture<String> control(String cameraId, String json);

  /**
   * Tells {@code listener} when camera sources attach and detach, on a relay thread, in order.
   *
   * @return closing it unregisters the listener
   */
  AutoCloseable onCameraEvent(CameraListener listener);

  /**
   * Publishes one JPEG as camera {@code cameraId} from in-process code: attaches a {@code java} source when no source
   * is attached (another source attaching later replaces it). The array is validated and then kept: do not modify
   * it afterwards.
   *
   * @throws dev.camrelay.frame.jpeg.JpegFormatException if {@code jpeg} is not exactly one complete JPEG
   * @throws IllegalArgumentException if the camera id is not valid
   */
  default void publish(String cameraId, byte[] jpeg) throws dev.camrelay.frame.jpeg.JpegFormatException {
    publish(cameraId, JpegFrame.parse(jpeg));
  }

  /** As {@link #publish(String, byte[])}, for a frame already validated. */
  void publish(String cameraId, JpegFrame frame);
}
