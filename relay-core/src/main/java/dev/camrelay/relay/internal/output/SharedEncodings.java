package dev.camrelay.relay.internal.output;

import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link SharedEncoding} per camera while that camera has viewers of one protocol; freed after the last leaves.
 * Thread-safe.
 */
public final class SharedEncodings {
  private static final class Entry {
    final SharedEncoding encoding;
    int users;

    Entry(SharedEncoding encoding) {
      this.encoding = encoding;
    }
  }

  private final FrameEncoding encoding;
  private final ByteBufAllocator allocator;
  private final Map<String, Entry> byCamera = new HashMap<>();

  public SharedEncodings(FrameEncoding encoding, ByteBufAllocator allocator) {
    this.encoding = encoding;
    this.allocator = allocator;
  }

  /** The shared encoding of camera {@code cameraId}'s frames; give it back with {@link #release}. */
  public synchronized SharedEncoding acquire(String cameraId) {
    Entry entry = byCamera.computeIfAbsent(cameraId, id -> new Entry(new SharedEncoding(encoding, allocator)));
    entry.users++;
    return entry.encoding;
  }

  /** One user of camera {@code cameraId}'s encoding is done; the last one frees it. */
  public synchronized void release(String cameraId, SharedEncoding shared) {
    Entry entry = byCamera.get(cameraId);
    if (entry == null || entry.encoding != shared) {
      return;
    }
    if (--entry.users == 0) {
      byCamera.remove(cameraId);
      shared.release();
    }
  }

  /** Users of all cameras' encodings. */
  public synchronized int users() {
    return byCamera.values().stream().mapToInt(e -> e.users).sum();
  }

  /** Frees every encoding (the port is closing). */
  public synchronized void releaseAll() {
    byCamera.values().forEach(e -> e.encoding.release());
    byCamera.clear();
  }
}
