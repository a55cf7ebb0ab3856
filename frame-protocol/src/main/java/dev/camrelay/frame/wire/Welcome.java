package dev.camrelay.frame.wire;

import java.nio.ByteBuffer;

/**
 * The WELCOME payload: the relay accepted the camera.
 *
 * <pre>
 * +---------+---------+------------+ - - - - - - -
 * | version |  flags  | maxPayload |  extensions
 * |   u8    |   u8    |    u32     |  (ignored)
 * +---------+---------+------------+ - - - - - - -
 * </pre>
 *
 * @param version the version to speak from the next message on: min(relay's highest, HELLO maxVersion), 1..255
 * @param flags bit set of {@link #STREAM} (unknown bits are kept)
 * @param maxPayload the largest payload the relay accepts, 0..4294967295
 */
public record Welcome(int version, int flags, long maxPayload) {
  /** Flag bit 0: start streaming now. */
  public static final int STREAM = 0x1;

  /** Validates the ranges; throws IllegalArgumentException otherwise. */
  public Welcome {
    if (version < 1 || version > 255) {
      throw new IllegalArgumentException("version " + version + " is outside 1..255");
    }
    if (flags < 0 || flags > 0xFF) {
      throw new IllegalArgumentException("flags " + flags + " do not fit in u8");
    }
    if (maxPayload < 0 || maxPayload > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("maxPayload " + maxPayload + " does not fit in u32");
    }
  }

  /** A WELCOME to speak {@code version}, with {@link #STREAM} if {@code stream}. */
  public static Welcome of(int version, boolean stream, int maxPayload) {
    return new Welcome(version, stream ? STREAM : 0, maxPayload);
  }

  /** Flag {@link #STREAM}: the camera starts sending FRAMEs now. */
  public boolean stream() {
    return (flags & STREAM) != 0;
  }

  /** The payload bytes. */
  public byte[] encode() {
    return ByteBuffer.allocate(6).put((byte) version).put((byte) flags).putInt((int) maxPayload).array();
  }

  /**
   * Reads a WELCOME payload; trailing bytes are ignored.
   *
   * @throws ProtocolException PROTOCOL_ERROR if shorter than 6 bytes or version 0
   * @throws IllegalArgumentException if {@code message} is not a WELCOME
   */
  public static Welcome decode(Message message) throws ProtocolException {
    PayloadReader in = new PayloadReader(message, MessageType.WELCOME);
    int version = in.u8("version");
    int flags = in.u8("flags");
    long maxPayload = in.u32("maxPayload");
    if (version == 0) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "WELCOME version 0 is invalid (must be at least 1)");
    }
    return new Welcome(version, flags, maxPayload);
  }
}
