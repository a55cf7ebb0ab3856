package dev.camrelay.relay.internal.output;

import dev.camrelay.frame.jpeg.JpegFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The wire bytes of one camera's recent frames in one {@link FrameEncoding}, shared by all of its viewers of that
 * protocol: each frame is encoded once, into one direct buffer, and every viewer writes a duplicate of it (no copy
 * per viewer; a heap buffer would make the JDK or Netty copy it to native memory for every socket write).
 *
 * <pre>
 * one pooled direct buffer per frame, written by every viewer (retainedDuplicate):
 * +------------------------+---------------------------+-------------------+
 * | encoding's header      | the JPEG, byte for byte   | encoding's trailer|
 * +------------------------+---------------------------+-------------------+
 * </pre>
 *
 * <p>The encodings of the two frames asked for last are kept, found by identity, so viewers sending the newest
 * frame and a viewer one frame behind share buffers. A buffer goes back to the pool when the last viewer writing it
 * released its duplicate. Thread-safe.
 */
public final class SharedEncoding {
  private final FrameEncoding encoding;
  private final ByteBufAllocator allocator;
  private JpegFrame newestFrame;
  private ByteBuf newest;
  private JpegFrame previousFrame;
  private ByteBuf previous;
  private boolean released;

  public SharedEncoding(FrameEncoding encoding, ByteBufAllocator allocator) {
    this.encoding = encoding;
    this.allocator = allocator;
  }

  /** A buffer holding the whole encoded frame; the caller owns one reference and must release it. */
  public synchronized ByteBuf retained(JpegFrame frame) {
    if (frame == newestFrame) {
      return newest.retainedDuplicate();
    }
    if (frame == previousFrame) {
      return previous.retainedDuplicate();
    }
    ByteBuf encoded = encode(frame);
    if (released) {
      return encoded;
    }
    if (previous != null) {
      previous.release();
    }
    previousFrame = newestFrame;
    previous = newest;
    newestFrame = frame;
    newest = encoded;
    return encoded.retainedDuplicate();
  }

  private ByteBuf encode(JpegFrame frame) {
    int n = frame.size();
    int header = encoding.headerLength(n);
    ByteBuf out = allocator.directBuffer(header + n + encoding.trailerLength());
    encoding.writeHeader(out, n);
    out.writeBytes(frame.asByteBuffer());
    encoding.writeTrailer(out);
    return out;
  }

  /** Drops the kept encodings (writes in flight keep theirs until they release them); later calls keep none. */
  public synchronized void release() {
    released = true;
    if (newest != null) {
      newest.release();
    }
    if (previous != null) {
      previous.release();
    }
    newestFrame = previousFrame = null;
    newest = previous = null;
  }
}
