package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RtpFrames} per camera and transport while the camera has RTSP clients on that transport; freed after the
 * last leaves. UDP clients get payloads that fit a datagram in an Ethernet MTU, clients with RTP interleaved on their
 * RTSP connection the largest an interleaved packet carries (a typical frame is one packet). Also remembers,
 * per camera, why its last frame could not go out over RTSP ({@link #refusal}), until one can again. Thread-safe.
 */
public final class RtpFramesByCamera {
  private final RtpJpegPacketizer udpPacketizer;
  private final RtpJpegPacketizer interleavedPacketizer;
  private final ByteBufAllocator allocator;
  private final RtspCounters counters;
  private final Map<String, RtpFrames> udpByCamera = new HashMap<>();
  private final Map<String, RtpFrames> interleavedByCamera = new HashMap<>();
  private final Map<String, String> refusals = new ConcurrentHashMap<>();

  /**
   * @param udpPacketizer cuts frames for UDP clients; {@code interleavedPacketizer} for clients with RTP interleaved
   * @param counters where frames re-coded to the standard Huffman tables and frames refused are counted
   */
  public RtpFramesByCamera(RtpJpegPacketizer udpPacketizer, RtpJpegPacketizer interleavedPacketizer,
      ByteBufAllocator allocator, RtspCounters counters) {
    this.udpPacketizer = udpPacketizer;
    this.interleavedPacketizer = interleavedPacketizer;
    this.allocator = allocator;
    this.counters = counters;
  }

  /** Camera {@code cameraId}'s shared payloads for one transport; give them back with {@link #release}. */
  public synchronized RtpFrames acquire(String cameraId, boolean interleaved) {
    RtpJpegPacketizer packetizer = interleaved ? interleavedPacketizer : udpPacketizer;
    RtpFrames frames = (interleaved ? interleavedByCamera : udpByCamera).computeIfAbsent(cameraId,
        id -> new RtpFrames(id, packetizer, allocator, refusals, counters));
    frames.users++;
    return frames;
  }

  /** One client of camera {@code cameraId} on that transport is done; the last one frees its frames. */
  public synchronized void release(String cameraId, boolean interleaved, RtpFrames frames) {
    Map<String, RtpFrames> byCamera = interleaved ? interleavedByCamera : udpByCamera;
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
    for (Map<String, RtpFrames> byCamera : List.of(udpByCamera, interleavedByCamera)) {
      byCamera.values().forEach(RtpFrames::release);
      byCamera.clear();
    }
  }
}
