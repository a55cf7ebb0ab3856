package dev.camrelay.relay.internal.output.mjpeg;

import dev.camrelay.frame.mjpeg.MjpegWriter;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;

/** Keeps one {@link MjpegParts} per camera while that camera has MJPEG viewers, and frees it after the last leaves. */
public final class MjpegPartsRegistry {
  private record Entry(MjpegParts parts, int[] users) {}

  private final MjpegWriter writer;
  private final ByteBufAllocator allocator;
  private final Map<String, Entry> byCamera = new HashMap<>();

  public MjpegPartsRegistry(MjpegWriter writer, ByteBufAllocator allocator) {
    this.writer = writer;
    this.allocator = allocator;
  }

  public synchronized MjpegParts acquire(String cameraId) {
    Entry entry = byCamera.computeIfAbsent(cameraId, id -> new Entry(new MjpegParts(writer, allocator), new int[1]));
    entry.users()[0]++;
    return entry.parts();
  }

  public synchronized void release(String cameraId, MjpegParts parts) {
    Entry entry = byCamera.get(cameraId);
    if (entry == null || entry.parts() != parts) {
      return;
    }
    if (--entry.users()[0] == 0) {
      byCamera.remove(cameraId);
      parts.release();
    }
  }

  /** MJPEG viewers of all cameras. */
  public synchronized int users() {
    return byCamera.values().stream().mapToInt(entry -> entry.users()[0]).sum();
  }

  public synchronized void releaseAll() {
    byCamera.values().forEach(entry -> entry.parts().release());
    byCamera.clear();
  }
}
