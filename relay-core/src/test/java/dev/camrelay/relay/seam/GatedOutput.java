package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputHandle;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference {@link CameraOutput}, written against the documented contract only: it keeps every frame, says
 * {@link OutputHandle#ready()} at once while reading, and holds its frame (no ready) while not. It also records what
 * the relay must never do: a frame before {@code onAttached}, or after {@link #close()} returned.
 */
final class GatedOutput implements CameraOutput, OutputProbe {
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final BlockingQueue<DetachReason> detached = new LinkedBlockingQueue<>();
  private final AtomicInteger received = new AtomicInteger();
  private final List<Long> sequences = new CopyOnWriteArrayList<>();
  private volatile OutputHandle handle;
  private volatile boolean closeReturned;
  private volatile String violation;
  // Guarded by this.
  private boolean reading = true;
  private boolean owesReady;

  /** Attaches a new one to {@code cameraId} of {@code hub}. */
  static GatedOutput attach(CameraHub hub, String cameraId) {
    GatedOutput out = new GatedOutput();
    OutputHandle h = hub.attachOutput(cameraId, out);
    assertThat(out.handle).as("onAttached got the handle attachOutput returned").isSameAs(h);
    return out;
  }

  OutputHandle handle() {
    return handle;
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h;
  }

  @Override
  public void onFrame(CameraFrame frame) {
    OutputHandle h = handle;
    if (h == null) {
      violation = "onFrame before onAttached";
      return;
    }
    if (closeReturned) {
      violation = "onFrame after close() returned: " + frame;
    }
    received.incrementAndGet();
    sequences.add(frame.sequence());
    frames.add(frame.jpeg().toByteArray());
    boolean readyNow;
    synchronized (this) {
      readyNow = reading;
      owesReady = !reading;
    }
    if (readyNow) {
      h.ready();
    }
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    detached.add(reason);
  }

  @Override
  public byte[] nextFrame(Duration timeout) throws InterruptedException {
    return OutputProbe.poll(frames, timeout);
  }

  @Override
  public void stopReading() {
    synchronized (this) {
      reading = false;
    }
  }

  @Override
  public void resumeReading() {
    boolean owe;
    synchronized (this) {
      reading = true;
      owe = owesReady;
      owesReady = false;
    }
    if (owe) {
      handle.ready();
    }
  }

  @Override
  public void assertDetachedForStalling(Duration timeout) throws InterruptedException {
    assertThat(detached.poll(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("onDetached reason")
        .isEqualTo(DetachReason.STALLED);
    assertThat(handle.attached()).isFalse();
  }

  /** {@link CameraFrame#sequence()} of every frame received, in order. */
  List<Long> sequences() {
    return sequences;
  }

  /** What the relay did that it must not do, or null. */
  String violation() {
    return violation;
  }

  /** onDetached calls not yet taken by {@link #assertDetachedForStalling}. */
  int pendingDetachCalls() {
    return detached.size();
  }

  @Override
  public int framesReceived() {
    return received.get();
  }

  @Override
  public OptionalLong framesSkipped() {
    return OptionalLong.of(handle.framesSkipped());
  }

  @Override
  public void close() {
    handle.close();
    closeReturned = true;
  }
}
