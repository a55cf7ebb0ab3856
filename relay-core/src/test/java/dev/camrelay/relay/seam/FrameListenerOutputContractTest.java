package dev.camrelay.relay.seam;

import dev.camrelay.relay.CameraRelay;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The output contract for {@link CameraRelay#onFrame} listeners, in process: a listener that stops taking frames
 * blocks inside its call. Listeners are relay-wide outputs: not viewers, attached only to cameras with a source, and
 * told nothing when detached (the contract tests see that through the camera's on-demand source being told to stop).
 */
class FrameListenerOutputContractTest extends OutputContractTest {
  @Override
  OutputProbe attach(CameraRelay relay, String cameraId) {
    ListenerProbe probe = new ListenerProbe(cameraId);
    probe.registration = relay.onFrame(probe::onFrame);
    return probe;
  }

  @Override
  boolean countsAsViewer() {
    return false;
  }

  @Override
  boolean attachesToCamerasWithoutSource() {
    return false;
  }

  private static final class ListenerProbe implements OutputProbe {
    private final String cameraId;
    private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger received = new AtomicInteger();
    private AutoCloseable registration;
    // Guarded by this.
    private boolean reading = true;

    ListenerProbe(String cameraId) {
      this.cameraId = cameraId;
    }

    void onFrame(String camera, dev.camrelay.frame.jpeg.JpegFrame jpeg) {
      if (!camera.equals(cameraId)) {
        return;
      }
      received.incrementAndGet();
      frames.add(jpeg.toByteArray());
      synchronized (this) {
        try {
          while (!reading) {
            wait();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // the relay is closing
        }
      }
    }

    @Override
    public byte[] nextFrame(Duration timeout) throws InterruptedException {
      return OutputProbe.poll(frames, timeout);
    }

    @Override
    public synchronized void stopReading() {
      reading = false;
    }

    @Override
    public synchronized void resumeReading() {
      reading = true;
      notifyAll();
    }

    @Override
    public void assertDetachedForStalling(Duration timeout) {
      // A listener is told nothing; that it got no output left is what the contract test checks.
    }

    @Override
    public int framesReceived() {
      return received.get();
    }

    @Override
    public OptionalLong framesSkipped() {
      return OptionalLong.empty();
    }

    @Override
    public void close() throws Exception {
      resumeReading();
      registration.close();
    }
  }
}
