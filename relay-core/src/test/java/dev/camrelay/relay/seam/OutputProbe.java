package dev.camrelay.relay.seam;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One output of a camera as a contract test drives it: a real viewer connection, a listener, or an in-process
 * {@link dev.camrelay.relay.CameraOutput}. Each {@link OutputContractTest} subclass makes them.
 */
interface OutputProbe extends AutoCloseable {
  /** The next whole frame the output received, waiting at most {@code timeout}; AssertionError if none came. */
  byte[] nextFrame(Duration timeout) throws Exception;

  /**
   * From now on the output takes no more frames: a network viewer stops reading its socket, a listener blocks in
   * its next call, an output keeps its frame and does not say ready.
   */
  void stopReading();

  /** Takes frames again (and finishes the one it was holding). */
  void resumeReading();

  /**
   * Asserts what the relay does to this kind of output when it detaches it for stalling: closes the connection, or
   * calls {@code onDetached(STALLED)}. Waits at most {@code timeout}.
   */
  void assertDetachedForStalling(Duration timeout) throws Exception;

  /** Frames the output has received so far (network viewers: read so far). */
  int framesReceived();

  /** {@code OutputHandle.framesSkipped()} where the test can see the handle. */
  OptionalLong framesSkipped();

  /** Leaves: the viewer disconnects, the listener or handle is closed. */
  @Override
  void close() throws Exception;

  /** The next frame an in-process output queued, waiting at most {@code timeout}; AssertionError if none came. */
  static byte[] poll(BlockingQueue<byte[]> frames, Duration timeout) throws InterruptedException {
    byte[] f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (f == null) {
      throw new AssertionError("no frame within " + timeout);
    }
    return f;
  }
}
