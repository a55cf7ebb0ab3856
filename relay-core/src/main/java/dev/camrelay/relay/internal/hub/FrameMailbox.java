package dev.camrelay.relay.internal.hub;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-slot, latest-wins mailbox: the most a slow viewer ever has waiting is one frame. A frame put while another
 * is still unsent replaces it and counts as skipped. Thread-safe and lock-free.
 */
public final class FrameMailbox {
  private final AtomicReference<JpegFrame> slot = new AtomicReference<>();
  private final AtomicLong skipped = new AtomicLong();

  /** Parks {@code frame}; returns true if the slot was empty, false if it replaced (skipped) an unsent frame. */
  public boolean put(JpegFrame frame) {
    JpegFrame old = slot.getAndSet(frame);
    if (old != null) {
      skipped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Removes and returns the waiting frame, or null if none. */
  public JpegFrame take() {
    return slot.getAndSet(null);
  }

  public boolean isEmpty() {
    return slot.get() == null;
  }

  /** Frames replaced before they could be sent. */
  public long skipped() {
    return skipped.get();
  }

  /** Drops the waiting frame (when the viewer goes away), so it is not kept alive. */
  public void clear() {
    slot.set(null);
  }
}
