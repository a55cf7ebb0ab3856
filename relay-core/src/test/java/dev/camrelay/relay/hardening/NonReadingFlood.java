package dev.camrelay.relay.hardening;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends many small requests that each deserve an answer (PING, WebSocket ping, pipelined GET) down a connection
 * whose reader never reads, and reports how much heap the relay retained meanwhile. A relay that queues every
 * answer grows by roughly one buffer per request; one that drops answers to a peer that does not read, or stops
 * reading from it (backpressure), stays flat.
 */
final class NonReadingFlood {
  static final int UNITS = 400_000;
  /** Far below what queueing {@link #UNITS} answers costs (~80 MB and more), far above measurement noise. */
  static final long HEAP_SLACK = 40L * 1024 * 1024;

  private NonReadingFlood() {}

  /**
   * Writes {@code unit} {@value #UNITS} times to {@code out} from another thread; returns once all is written or
   * the writes made no progress for a while (the relay stopped reading: backpressure). Returns the heap growth
   * after GC, measured with the connection still open.
   */
  static long heapGrowth(OutputStream out, byte[] unit) throws InterruptedException {
    long before = ResourceSnapshot.take(true).heapBytes();
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    for (int i = 0; i < 10_000; i++) {
      batch.writeBytes(unit);
    }
    byte[] bytes = batch.toByteArray();
    AtomicLong written = new AtomicLong();
    Thread sender = new Thread(() -> {
      try {
        for (int i = 0; i < UNITS / 10_000; i++) {
          out.write(bytes);
          written.addAndGet(10_000);
        }
      } catch (IOException e) {
        // the relay closed the connection: also a way not to buffer
      }
    }, "non-reading-flood");
    sender.setDaemon(true);
    sender.start();
    long last = -1;
    while (sender.isAlive()) {
      sender.join(3000);
      long now = written.get();
      if (now == last) {
        break; // blocked: the relay is not reading any more
      }
      last = now;
    }
    long after = ResourceSnapshot.take(true).heapBytes();
    return after - before;
  }
}
