package dev.camrelay.relay.internal.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one listener's callbacks in order on a shared executor, with at most {@link #MAX_QUEUED} waiting: when the
 * listener falls behind, the oldest waiting callbacks are dropped (counted), so a slow listener costs bounded memory
 * and never blocks the thread that submits.
 */
public final class ListenerDispatcher {
  private static final Logger log = LoggerFactory.getLogger(ListenerDispatcher.class);
  public static final int MAX_QUEUED = 64;

  private final Executor executor;
  private final String name;
  private final Object target;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;
  private long dropped;

  public ListenerDispatcher(Executor executor, String name, Object target) {
    this.executor = executor;
    this.name = name;
    this.target = target;
  }

  /** The listener this dispatcher serves. */
  public Object target() {
    return target;
  }

  /** Queues {@code task}; never blocks. */
  public void submit(Runnable task) {
    boolean start;
    synchronized (this) {
      if (queue.size() >= MAX_QUEUED) {
        queue.pollFirst();
        dropped++;
      }
      queue.addLast(task);
      start = !running;
      running = true;
    }
    if (start) {
      try {
        executor.execute(this::drain);
      } catch (RuntimeException e) {
        // The relay is closing; nothing more will run.
        synchronized (this) {
          queue.clear();
          running = false;
        }
      }
    }
  }

  public synchronized long dropped() {
    return dropped;
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = queue.pollFirst();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.warn("{} threw {}", name, e.toString(), e);
      }
    }
  }
}
