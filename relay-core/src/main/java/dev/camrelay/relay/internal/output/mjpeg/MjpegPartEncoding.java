package dev.camrelay.relay.internal.output.mjpeg;

import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.internal.output.FrameEncoding;
import io.netty.buffer.ByteBuf;

/**
 * A JPEG as one part of a {@code multipart/x-mixed-replace} stream, in {@link MjpegWriter}'s format:
 *
 * <pre>
 * --camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: N\r\n\r\n  JPEG (N bytes)  \r\n
 * </pre>
 */
public final class MjpegPartEncoding implements FrameEncoding {
  private final MjpegWriter writer;
  private final byte[] trailer;

  public MjpegPartEncoding(MjpegWriter writer) {
    this.writer = writer;
    this.trailer = writer.partTrailer();
  }

  @Override
  public int headerLength(int jpegBytes) {
    return writer.partHeader(jpegBytes).length;
  }

  @Override
  public void writeHeader(ByteBuf out, int jpegBytes) {
    out.writeBytes(writer.partHeader(jpegBytes));
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
