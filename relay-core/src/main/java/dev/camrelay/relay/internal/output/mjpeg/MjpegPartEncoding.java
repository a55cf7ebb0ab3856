package dev.camrelay.relay.internal.output.mjpeg;

import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.internal.output.FrameEncoding;
import io.netty.buffer.ByteBuf;

/**
 * A JPEG as one part of a {@code multipart/x-mixed-replace} stream, in one of {@link MjpegWriter}'s two layouts:
 *
 * <pre>
 * parts with Content-Length (the constructor):
 *   --camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: N\r\n\r\n  JPEG (N bytes)  \r\n
 * {@link #advanceHeaders}:
 *   JPEG (N bytes)  \r\n--camrelayframe\r\nContent-Type: image/jpeg\r\n\r\n
 * </pre>
 *
 * With advance headers each JPEG is followed by the whole header of the next part, so that a browser shows it at
 * once instead of when the next frame comes; the first part's header ({@link MjpegWriter#advanceHeader()}) goes out
 * once, right after the response head ({@link MjpegRoute}).
 */
public final class MjpegPartEncoding implements FrameEncoding {
  private final MjpegWriter writer;
  private final boolean advance;
  private final byte[] trailer;

  /** Parts with Content-Length, for every reader. */
  public MjpegPartEncoding(MjpegWriter writer) {
    this(writer, false);
  }

  private MjpegPartEncoding(MjpegWriter writer, boolean advance) {
    this.writer = writer;
    this.advance = advance;
    this.trailer = advance ? writer.advanceTrailer() : writer.partTrailer();
  }

  /** Advance headers, for browsers: nothing before the JPEG, CRLF and the next part's header after it. */
  public static MjpegPartEncoding advanceHeaders(MjpegWriter writer) {
    return new MjpegPartEncoding(writer, true);
  }

  @Override
  public int headerLength(int jpegBytes) {
    return advance ? 0 : writer.partHeader(jpegBytes).length;
  }

  @Override
  public void writeHeader(ByteBuf out, int jpegBytes) {
    if (!advance) {
      out.writeBytes(writer.partHeader(jpegBytes));
    }
  }

  @Override
  public int trailerLength() {
    return trailer.length;
  }

  @Override
  public void writeTrailer(ByteBuf out) {
    out.writeBytes(trailer);
  }
}
