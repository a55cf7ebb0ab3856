package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RtpFrames} per camera while the camera has RTSP clients; freed after the last leaves. Also remembers,
 * per camera, why its last frame could not go out over RTSP ({@link #refusal}), until one can again. Thread-safe.
 */
public final class RtpFramesByCamera {
  private final RtpJpegPacketizer packetizer;
  private final ByteBufAllocator allocator;
  private final RtspCounters counters;
  private final Map<String, RtpFrames> byCamera = new HashMap<>();
  private final Map<String, String> refusals = new ConcurrentHashMap<>();

  /** @param counters where frames re-coded to the standard Huffman tables and frames refused are counted */
  public RtpFramesByCamera(RtpJpegPacketizer packetizer, ByteBufAllocator allocator, RtspCounters counters) {
    this.packetizer = packetizer;
    this.allocator = allocator;
    this.counters = counters;
  }

  /** Camera {@code cameraId}'s shared payloads; give them back with {@link #release}. */
  public synchronized RtpFrames acquire(String cameraId) {
    RtpFrames frames = byCamera.computeIfAbsent(cameraId, id -> new RtpFrames(id, packetizer, allocator, refusals, counters));
    frames.users++;
    return frames;
  }

  /** One client of camera {@code cameraId} is done; the last one frees its frames. */
  public synchronized void release(String cameraId, RtpFrames frames) {
    if (byCamera.get(cameraId) == frames && --frames.users == 0) {
      byCamera.remove(cameraId);
      frames.release();
    }
  }

  /**
   * Why camera {@code cameraId}'s latest frame packetized for RTSP could not be carried by RFC 2435 (e.g. grayscale,
   * 4:4:4, progressive, too large), or null when it could. Kept while the camera has no RTSP clients (then nothing is
   * packetized), so the reason stays visible after the client that hit it gave up.
   */
  public String refusal(String cameraId) {
    return refusals.get(cameraId);
  }

  /** Frees every camera's frames (the port is closing). */
  public synchronized void releaseAll() {
    byCamera.values().forEach(RtpFrames::release);
    byCamera.clear();
  }
}
