package dev.camrelay.frame.wire;

/**
 * The message types of the framed camera protocol v1, with their wire codes and payload size limits.
 *
 * <p>Codes not listed here are unknown to this version: a receiver skips such a message by its length unless the
 * header flag {@link Message#FLAG_MUST_UNDERSTAND} is set (see {@link MessageDecoder}).
 */
public enum MessageType {
  /** camera → relay, first message: camera id, token, capabilities, firmware ({@link Hello}). At most 4096 bytes. */
  HELLO(0x01, 4096),
  /** relay → camera: accepted; version to speak, STREAM flag, maximum payload ({@link Welcome}). At most 4096 bytes. */
  WELCOME(0x02, 4096),
  /** camera → relay: one complete JPEG; header sequence = frame number, timestamp = capture time (µs). */
  FRAME(0x10, Integer.MAX_VALUE),
  /** both ways: u32 request id + UTF-8 JSON; header flag {@link Message#FLAG_REPLY} on replies ({@link Control}). */
  CONTROL(0x20, 65536),
  /** both ways: 0..64 opaque bytes, answered by PONG. */
  PING(0x30, 64),
  /** both ways: the PING's bytes echoed. */
  PONG(0x31, 64),
  /** both ways: orderly close, u16 code + UTF-8 reason ({@link Reason}). At most 4096 bytes. */
  BYE(0x40, 4096),
  /** both ways: failure, u16 code + UTF-8 reason ({@link Reason}); the sender closes. At most 4096 bytes. */
  ERROR(0x41, 4096);

  private static final MessageType[] BY_CODE = new MessageType[256];

  static {
    for (MessageType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final int maxPayload;

  MessageType(int code, int maxPayload) {
    this.code = code;
    this.maxPayload = maxPayload;
  }

  /** The type byte on the wire (0..255). */
  public int code() {
    return code;
  }

  /**
   * The largest payload this type may carry by the protocol's own limits ({@code Integer.MAX_VALUE} for FRAME, which
   * is bounded only by the receiver's maximum).
   */
  public int maxPayload() {
    return maxPayload;
  }

  /** The type with this wire code, or {@code null} if v1 does not define it. */
  public static MessageType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
