package dev.camrelay.relay.internal.output.websocket;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.internal.output.FrameEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * A JPEG as one unmasked, final, binary WebSocket frame (RFC 6455 §5.2). Server frames carry no mask and the relay
 * negotiates no extensions, so the same bytes go to every viewer: encoded once per frame
 * ({@link dev.camrelay.relay.internal.output.SharedEncoding}).
 *
 * <pre>
 *  byte 0     byte 1            then                       then
 * +---------+-----------------+--------------------------+----------------+
 * | 0x82    | len (0..125)    |                          | JPEG bytes     |
 * | FIN|bin | 126             | u16 length               |                |
 * |         | 127             | u64 length               |                |
 * +---------+-----------------+--------------------------+----------------+
 * </pre>
 */
public final class WsFrames implements FrameEncoding {
  /** The one instance: the encoding has no settings. */
  public static final WsFrames ENCODING = new WsFrames();

  private WsFrames() {}

  /** Bytes of the frame header for a payload of {@code n} bytes. */
  @Override
  public int headerLength(int n) {
    return n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
  }

  @Override
  public void writeHeader(ByteBuf out, int n) {
    out.writeByte(0x82);
    if (n < 126) {
      out.writeByte(n);
    } else if (n <= 0xFFFF) {
      out.writeByte(126);
      out.writeShort(n);
    } else {
      out.writeByte(127);
      out.writeLong(n);
    }
  }

  /** A read-only heap buffer holding the whole frame (for tests and one-off use). */
  static ByteBuffer binary(JpegFrame jpeg) {
    int n = jpeg.size();
    ByteBuf out = Unpooled.buffer(ENCODING.headerLength(n) + n);
    ENCODING.writeHeader(out, n);
    out.writeBytes(jpeg.asByteBuffer());
    return out.nioBuffer().asReadOnlyBuffer();
  }
}
