package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.Map;

/** One {@link RtpFrames} per camera while the camera has RTSP clients; freed after the last leaves. Thread-safe. */
public final class RtpFramesByCamera {
  private final RtpJpegPacketizer packetizer;
  private final ByteBufAllocator allocator;
  private final Map<String, RtpFrames> byCamera = new HashMap<>();

  public RtpFramesByCamera(RtpJpegPacketizer packetizer, ByteBufAllocator allocator) {
    this.packetizer = packetizer;
    this.allocator = allocator;
  }

  /** Camera {@code cameraId}'s shared payloads; give them back with {@link #release}. */
  public synchronized RtpFrames acquire(String cameraId) {
    RtpFrames frames = byCamera.computeIfAbsent(cameraId, id -> new RtpFrames(packetizer, allocator));
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

  /** Frees every camera's frames (the port is closing). */
  public synchronized void releaseAll() {
    byCamera.values().forEach(RtpFrames::release);
    byCamera.clear();
  }
}
