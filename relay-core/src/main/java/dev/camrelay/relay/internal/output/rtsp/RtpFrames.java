package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.rtp.RtpJpegException;
import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.frame.rtp.RtpJpegPayloads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Map;

/**
 * One camera's recent frames cut into RTP/JPEG payloads, shared by all of its RTSP clients: each frame is packetized
 * once, into one direct buffer, and each client sends slices of it behind its own RTP headers (one instance per
 * camera and transport: see {@link RtpFramesByCamera}). Keeps the two frames
 * asked for last (found by identity), so clients on the newest frame and one a frame behind share. Thread-safe.
 */
public final class RtpFrames {
  private final String cameraId;
  private final RtpJpegPacketizer packetizer;
  private final ByteBufAllocator allocator;
  private final Map<String, String> refusals;
  private final RtspCounters counters;
  private JpegFrame newestJpeg;
  private RtpFrame newest;
  private JpegFrame previousJpeg;
  private RtpFrame previous;
  private boolean released;
  int users; // guarded by the registry (RtpFramesByCamera)

  /**
   * @param refusals where the reason a frame of this camera was refused goes, by camera (shared, concurrent)
   * @param counters where re-coded and refused frames are counted
   */
  RtpFrames(String cameraId, RtpJpegPacketizer packetizer, ByteBufAllocator allocator, Map<String, String> refusals,
      RtspCounters counters) {
    this.cameraId = cameraId;
    this.packetizer = packetizer;
    this.allocator = allocator;
    this.refusals = refusals;
    this.counters = counters;
  }

  /** The payloads of {@code jpeg}, with one reference to its buffer (if any) that the caller must release. */
  synchronized RtpFrame retained(JpegFrame jpeg) {
    if (jpeg == newestJpeg) {
      return retain(newest);
    }
    if (jpeg == previousJpeg) {
      return retain(previous);
    }
    RtpFrame made = packetize(jpeg);
    if (released) {
      return made; // not kept: the caller holds the only reference
    }
    if (previous != null && previous.buffer() != null) {
      previous.buffer().release();
    }
    previousJpeg = newestJpeg;
    previous = newest;
    newestJpeg = jpeg;
    newest = made;
    return retain(made);
  }

  private static RtpFrame retain(RtpFrame frame) {
    if (frame.buffer() != null) {
      frame.buffer().retain();
    }
    return frame;
  }

  private RtpFrame packetize(JpegFrame jpeg) {
    try {
      RtpJpegPayloads payloads = packetizer.packetize(jpeg);
      ByteBuf buffer = allocator.directBuffer(payloads.totalBytes());
      buffer.writeBytes(payloads.asByteBuffer());
      refusals.remove(cameraId);
      if (payloads.recoded()) {
        counters.recoded.increment();
      }
      return RtpFrame.of(payloads, buffer);
    } catch (RtpJpegException e) {
      counters.refused.increment();
      refusals.put(cameraId, e.getMessage());
      return RtpFrame.refused(e.getMessage());
    }
  }

  /** Drops the kept frames (slices being written keep their buffer); later calls keep none. */
  synchronized void release() {
    released = true;
    for (RtpFrame f : new RtpFrame[] {newest, previous}) {
      if (f != null && f.buffer() != null) {
        f.buffer().release();
      }
    }
    newest = previous = null;
    newestJpeg = previousJpeg = null;
  }
}
