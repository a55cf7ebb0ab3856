package dev.camrelay.relay.internal.output.mjpeg;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.mjpeg.MjpegWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The wire bytes of recent frames of one camera as multipart parts, shared by all of its MJPEG viewers.
 *
 * <pre>
 * one direct buffer per frame, written by every viewer (retainedDuplicate, no copy):
 * +--------------------------------------------------------------+------------------+------+
 * | --camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: N\r\n\r\n | JPEG (N bytes) | \r\n |
 * +--------------------------------------------------------------+------------------+------+
 * </pre>
 *
 * <p>The JPEG is copied once per frame into a direct buffer (Netty would otherwise copy a heap buffer into a direct
 * one for every viewer's socket write). The parts of the two frames asked for last are kept, found by identity, so
 * every viewer sending the newest frame, and a viewer one frame behind, share one buffer. Thread-safe.
 */
public final class MjpegParts {
  private final MjpegWriter writer;
  private final ByteBufAllocator allocator;
  private JpegFrame newestFrame;
  private ByteBuf newestPart;
  private JpegFrame previousFrame;
  private ByteBuf previousPart;
  private boolean released;

  public MjpegParts(MjpegWriter writer, ByteBufAllocator allocator) {
    this.writer = writer;
    this.allocator = allocator;
  }

  /** A buffer holding the whole part for {@code frame}; the caller owns one reference and must release it. */
  public synchronized ByteBuf retainedPart(JpegFrame frame) {
    if (frame == newestFrame) {
      return newestPart.retainedDuplicate();
    }
    if (frame == previousFrame) {
      return previousPart.retainedDuplicate();
    }
    ByteBuf part = encode(frame);
    if (released) {
      return part;
    }
    if (previousPart != null) {
      previousPart.release();
    }
    previousFrame = newestFrame;
    previousPart = newestPart;
    newestFrame = frame;
    newestPart = part;
    return part.retainedDuplicate();
  }

  private ByteBuf encode(JpegFrame frame) {
    byte[] header = writer.partHeader(frame.size());
    byte[] trailer = writer.partTrailer();
    ByteBuf part = allocator.directBuffer(header.length + frame.size() + trailer.length);
    part.writeBytes(header);
    part.writeBytes(frame.asByteBuffer());
    part.writeBytes(trailer);
    return part;
  }

  /** Drops the kept parts (in-flight writes keep theirs until they complete); later calls do not keep any. */
  public synchronized void release() {
    released = true;
    if (newestPart != null) {
      newestPart.release();
    }
    if (previousPart != null) {
      previousPart.release();
    }
    newestFrame = previousFrame = null;
    newestPart = previousPart = null;
  }
}
