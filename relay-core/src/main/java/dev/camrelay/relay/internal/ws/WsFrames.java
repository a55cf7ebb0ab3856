package dev.camrelay.relay.internal.ws;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.nio.ByteBuffer;

/**
 * Encodes a JPEG as one unmasked, final, binary WebSocket frame (RFC 6455 §5.2), once per frame: server frames carry
 * no mask and the relay negotiates no extensions, so the same bytes go to every viewer.
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
final class WsFrames {
  private WsFrames() {}

  /** A read-only buffer holding the whole frame; share it with {@link ByteBuffer#duplicate()}. */
  static ByteBuffer binary(JpegFrame jpeg) {
    int n = jpeg.size();
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuffer out = ByteBuffer.allocate(header + n);
    out.put((byte) 0x82);
    if (n < 126) {
      out.put((byte) n);
    } else if (n <= 0xFFFF) {
      out.put((byte) 126);
      out.putShort((short) n);
    } else {
      out.put((byte) 127);
      out.putLong(n);
    }
    out.put(jpeg.asByteBuffer());
    out.flip();
    return out.asReadOnlyBuffer();
  }

  /** Remembers the encoding of the latest frame of one camera, so N viewers cost one encoding. */
  static final class Cache {
    private volatile JpegFrame frame;
    private volatile ByteBuffer encoded;

    ByteBuffer encode(JpegFrame jpeg) {
      synchronized (this) {
        if (frame != jpeg) {
          encoded = binary(jpeg);
          frame = jpeg;
        }
        return encoded.duplicate();
      }
    }
  }
}
