package dev.camrelay.cli.probe;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Hands frames from a network thread to the printing thread; an item without a frame marks the end of the stream. */
final class FrameQueue {
  /** A received frame, or the end of the stream with its reason. */
  record Item(byte[] jpeg, long receivedNanos, String endReason) {}

  private final LinkedBlockingQueue<Item> items = new LinkedBlockingQueue<>(1000);

  void put(byte[] jpeg, long receivedNanos) {
    items.offer(new Item(jpeg, receivedNanos, null)); // a probe that stopped reading drops frames rather than block
  }

  void end(String reason) {
    items.offer(new Item(null, System.nanoTime(), reason));
  }

  /** The next item, or null after the timeout. */
  Item take(Duration timeout) throws InterruptedException {
    return items.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
