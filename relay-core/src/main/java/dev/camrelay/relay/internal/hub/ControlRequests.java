package dev.camrelay.relay.internal.hub;

import dev.camrelay.relay.ControlException;
import dev.camrelay.relay.ControlRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's control commands in flight: assigns each a request id, hands it to the attached source, matches the
 * reply, and fails it (rather than leaving it unanswered) on timeout, disconnect or replacement.
 */
final class ControlRequests {
  private static final Logger log = LoggerFactory.getLogger(ControlRequests.class);
  static final int MAX_PENDING = 32;

  private final String cameraId;
  private final ScheduledExecutorService timer;
  private final long timeoutMs;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  /** Replies received and their summed round-trip times, for the control round-trip meter. */
  private final LongAdder replies = new LongAdder();
  private final LongAdder replyNanos = new LongAdder();

  ControlRequests(String cameraId, ScheduledExecutorService timer, long timeoutMs) {
    this.cameraId = cameraId;
    this.timer = timer;
    this.timeoutMs = timeoutMs;
  }

  boolean full() {
    return pending.size() >= MAX_PENDING;
  }

  /**
   * Creates a request for {@code source} and hands it over with {@code deliver} (which calls the source). Completes
   * with the reply JSON or fails with {@link ControlException}.
   */
  CompletableFuture<String> send(AttachedSource source, String json, Consumer<ControlRequest> deliver) {
    long id;
    Pending p;
    do {
      id = ids.incrementAndGet() & 0xFFFF_FFFFL;
      p = new Pending(id, json, source);
    } while (id == 0 || pending.putIfAbsent(id, p) != null);
    Pending request = p;
    request.timeout = timer.schedule(() -> request.failWith(ControlException.Kind.TIMEOUT,
        "camera '" + cameraId + "' did not answer within " + Camera.formatSeconds(timeoutMs)),
        timeoutMs, TimeUnit.MILLISECONDS);
    try {
      deliver.accept(request);
    } catch (RuntimeException e) {
      request.failWith(ControlException.Kind.DISCONNECTED,
          "camera '" + cameraId + "' could not be reached: " + e.getMessage());
    }
    return request.future;
  }

  /** The camera's reply to request {@code id}; ignored (false) when unknown, expired or from another source. */
  boolean reply(AttachedSource from, long id, String json) {
    Pending p = pending.get(id);
    if (p == null || p.source != from) {
      log.debug("camera '{}': ignoring reply to unknown or expired request {}", cameraId, id);
      return false;
    }
    return p.reply(json);
  }

  /** Replies the camera sent in time (answers and refusals alike). */
  long replies() {
    return replies.sum();
  }

  /** Summed nanoseconds from sending each replied request to its reply. */
  long replyNanos() {
    return replyNanos.sum();
  }

  private void replied(long sentNanos) {
    replyNanos.add(System.nanoTime() - sentNanos);
    replies.increment();
  }

  /** Fails every request waiting on {@code source}. */
  void failAll(AttachedSource source, ControlException.Kind kind, String message) {
    for (Pending p : pending.values()) {
      if (p.source == source) {
        p.failWith(kind, message);
      }
    }
  }

  private final class Pending implements ControlRequest {
    final long id;
    final String json;
    final AttachedSource source;
    final CompletableFuture<String> future = new CompletableFuture<>();
    final long sentNanos = System.nanoTime();
    volatile ScheduledFuture<?> timeout;

    Pending(long id, String json, AttachedSource source) {
      this.id = id;
      this.json = json;
      this.source = source;
    }

    @Override
    public long id() {
      return id;
    }

    @Override
    public String json() {
      return json;
    }

    @Override
    public boolean reply(String replyJson) {
      if (!finish()) {
        return false;
      }
      replied(sentNanos);
      future.complete(replyJson);
      return true;
    }

    @Override
    public boolean fail(String message) {
      if (!failWith(ControlException.Kind.REJECTED, message)) {
        return false;
      }
      replied(sentNanos);
      return true;
    }

    boolean failWith(ControlException.Kind kind, String message) {
      if (!finish()) {
        return false;
      }
      future.completeExceptionally(new ControlException(kind, message));
      return true;
    }

    private boolean finish() {
      if (!pending.remove(id, this)) {
        return false;
      }
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
      return true;
    }

    @Override
    public String toString() {
      return "control request " + id + " for camera '" + cameraId + "'";
    }
  }
}
