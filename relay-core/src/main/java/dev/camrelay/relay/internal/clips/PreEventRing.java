package dev.camrelay.relay.internal.clips;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.OutputHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last few seconds of one camera's frames, in memory, for clips that start before the moment they were asked
 * for. An output on the seam ({@link CameraOutput}): each frame is appended and the output is ready again at once
 * (appending never blocks), so the ring gets every frame the camera publishes unless the publishing thread itself
 * outruns it. Frames are the hub's own immutable {@link CameraFrame}s, shared, not copied.
 *
 * <p>Bounded twice: frames older than {@code keepMicros} before the newest one go, and the oldest go while the ring
 * holds more than {@code maxBytes} of JPEG (a camera sending large frames keeps fewer seconds). Followers (clips
 * being captured) see every frame appended after they joined, on the publishing thread; they must not block.
 * Thread-safe.
 */
final class PreEventRing implements CameraOutput {
  private final String cameraId;
  private final long keepMicros;
  private final long maxBytes;
  private final List<Consumer<CameraFrame>> followers = new CopyOnWriteArrayList<>();
  private final Runnable onDetached;
  private volatile OutputHandle handle;

  // Guarded by this.
  private final ArrayDeque<CameraFrame> frames = new ArrayDeque<>();
  private long bytes;

  /** {@code onDetached}: run once when the hub detaches this ring (the camera was forgotten, or the relay stops). */
  PreEventRing(String cameraId, long keepMicros, long maxBytes, Runnable onDetached) {
    this.cameraId = cameraId;
    this.keepMicros = keepMicros;
    this.maxBytes = maxBytes;
    this.onDetached = onDetached;
  }

  String cameraId() {
    return cameraId;
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h;
  }

  @Override
  public void onFrame(CameraFrame frame) {
    synchronized (this) {
      frames.addLast(frame);
      bytes += frame.size();
      long oldest = frame.receivedAtMicros() - keepMicros;
      while (frames.size() > 1 && (bytes > maxBytes || frames.peekFirst().receivedAtMicros() < oldest)) {
        bytes -= frames.removeFirst().size();
      }
      // Followers join under this lock (follow), so a clip gets each frame exactly once: from the ring or live.
      for (Consumer<CameraFrame> f : followers) {
        f.accept(frame);
      }
    }
    OutputHandle h = handle;
    if (h != null) {
      h.ready();
    }
  }

  /**
   * The frames received since {@code sinceMicros} (relay clock), oldest first, and from now on every new frame to
   * {@code follower} until {@link #unfollow}; nothing is lost or seen twice between the two.
   */
  synchronized List<CameraFrame> follow(long sinceMicros, Consumer<CameraFrame> follower) {
    List<CameraFrame> out = new ArrayList<>();
    for (CameraFrame f : frames) {
      if (f.receivedAtMicros() >= sinceMicros) {
        out.add(f);
      }
    }
    followers.add(follower);
    return out;
  }

  void unfollow(Consumer<CameraFrame> follower) {
    followers.remove(follower);
  }

  /** Frames and JPEG bytes held now. */
  synchronized long[] held() {
    return new long[] {frames.size(), bytes};
  }

  @Override
  public void onDetached(dev.camrelay.relay.DetachReason reason, String message) {
    synchronized (this) {
      frames.clear();
      bytes = 0;
    }
    onDetached.run();
  }

  @Override
  public String kind() {
    return "pre-event";
  }
}
