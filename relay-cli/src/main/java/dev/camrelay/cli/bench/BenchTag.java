package dev.camrelay.cli.bench;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The load-test tag, byte for byte the one /work/shared/bench/bench.mjs writes, so either harness can measure either
 * relay: a JPEG COM segment right after SOI carrying the frame's sequence number, its full length and its send time.
 *
 * <pre>
 *  0     2     4       6              10            14            18                        26
 *  +-----+-----+-------+--------------+-------------+-------------+-------------------------+--------------------
 *  |FF D8|FF FE| 00 16 | 'C' 'R' 'B' '1' | seq u32 BE | len u32 BE | t_ms f64 BE (epoch ms)  | rest of the JPEG
 *  +-----+-----+-------+--------------+-------------+-------------+-------------------------+  (after its SOI)
 * </pre>
 *
 * {@code len} is the length of the whole tagged JPEG, so a receiver detects a truncated or padded frame.
 */
final class BenchTag {
  static final int TAG_BYTES = 24;
  private static final byte[] MAGIC = "CRB1".getBytes(StandardCharsets.US_ASCII);

  /** A decoded tag. */
  record Tag(long seq, long length, double sentMillis) {}

  private BenchTag() {}

  /** Returns a copy of {@code jpeg} (which must start with SOI) with the tag inserted after SOI. */
  static byte[] tag(byte[] jpeg, long seq, double sentEpochMillis) {
    if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
      throw new IllegalArgumentException("not a JPEG (no SOI)");
    }
    byte[] out = new byte[jpeg.length + TAG_BYTES];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put((byte) 0xff).put((byte) 0xd8).put((byte) 0xff).put((byte) 0xfe).putShort((short) 22).put(MAGIC)
        .putInt((int) seq).putInt(out.length).putDouble(sentEpochMillis);
    System.arraycopy(jpeg, 2, out, 26, jpeg.length - 2);
    return out;
  }

  /** The tag of a received message, or null if it has none. Does not move the buffer's indexes. */
  static Tag read(ByteBuf buf) {
    int i = buf.readerIndex();
    if (buf.readableBytes() < 26 || buf.getUnsignedByte(i) != 0xff || buf.getUnsignedByte(i + 1) != 0xd8
        || buf.getUnsignedByte(i + 2) != 0xff || buf.getUnsignedByte(i + 3) != 0xfe) {
      return null;
    }
    for (int k = 0; k < 4; k++) {
      if (buf.getByte(i + 6 + k) != MAGIC[k]) {
        return null;
      }
    }
    return new Tag(buf.getUnsignedInt(i + 10), buf.getUnsignedInt(i + 14), buf.getDouble(i + 18));
  }

  /** True if the message is exactly the tagged frame: the tagged length and an EOI at the end. */
  static boolean intact(ByteBuf buf, Tag tag) {
    int n = buf.readableBytes();
    int end = buf.readerIndex() + n;
    return tag.length() == n && buf.getUnsignedByte(end - 2) == 0xff && buf.getUnsignedByte(end - 1) == 0xd9;
  }
}
