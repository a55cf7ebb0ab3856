package dev.camrelay.relay;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An output's attachment to a camera, returned by {@link CameraHub#attachOutput}. Thread-safe; the relay's handles
 * lock themselves, so an output must not hold a handle's monitor ({@code synchronized (handle)}) while calling into
 * the relay.
 */
public interface OutputHandle extends AutoCloseable {
  String cameraId();

  /**
   * The output is done with the frame of the last {@link CameraOutput#onFrame} and takes the next: a frame that
   * waits is handed over at once, possibly on the calling thread before this returns.
   */
  void ready();

  /** Bytes of the frame in flight are still moving (a large frame on a slow link): restarts the stall clock. */
  void progress();

  /**
   * Hands the camera's latest frame to this output now (when nothing is in flight, else as the waiting frame),
   * unless this output already had it. Built-in viewers call this on attach so a new viewer sees a picture at once.
   */
  void requestLatest();

  /** The camera's latest frame, if it has sent one. */
  Optional<CameraFrame> latestFrame();

  /** Sends a control command to the camera; see {@link CameraHub#control}. */
  CompletableFuture<String> control(String json);

  /** A snapshot of the camera's state. */
  CameraStats camera();

  /** Frames handed to this output so far. */
  long framesDelivered();

  /** Frames replaced by newer ones before this output was ready for them. */
  long framesSkipped();

  /** Frames held for this output right now: 0, 1 (in flight) or 2 (in flight and one waiting). */
  int framesHeld();

  /** Whether the output is still attached. */
  boolean attached();

  /** Detaches the output; the frame waiting for it is dropped. Idempotent; {@link CameraOutput#onDetached} is not called. */
  @Override
  void close();
}
