package dev.camrelay.frame.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The BYE and ERROR payload: why the sender closes.
 *
 * <pre>
 * +--------+--------------------------------+
 * |  code  |  reason, UTF-8, for humans      |
 * |  u16   |  at most 4094 bytes, may be ""  |
 * +--------+--------------------------------+
 * </pre>
 *
 * @param code an {@link ErrorCode} (unknown codes are valid), 0..65535
 * @param reason text for logs; never a secret
 */
public record Reason(int code, String reason) {
  /** Largest reason text in UTF-8 bytes. */
  public static final int MAX_REASON_BYTES = 4096 - 2;

  /** Validates the ranges; throws IllegalArgumentException otherwise. A null reason becomes {@code ""}. */
  public Reason {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("code " + code + " does not fit in u16");
    }
    reason = reason == null ? "" : reason;
    if (Text.encodeUtf8(reason, "reason").length > MAX_REASON_BYTES) {
      throw new IllegalArgumentException("reason is longer than " + MAX_REASON_BYTES + " UTF-8 bytes");
    }
  }

  /** The code's name, e.g. {@code "AUTH_FAILED"}. */
  public String codeName() {
    return ErrorCode.name(code);
  }

  /** The payload bytes. */
  public byte[] encode() {
    byte[] text = Text.encodeUtf8(reason, "reason");
    return ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array();
  }

  /**
   * Reads a BYE or ERROR payload.
   *
   * @throws ProtocolException PROTOCOL_ERROR if shorter than 2 bytes or the reason is not valid UTF-8
   * @throws IllegalArgumentException if {@code message} is neither BYE nor ERROR
   */
  public static Reason decode(Message message) throws ProtocolException {
    PayloadReader in = new PayloadReader(message, MessageType.BYE, MessageType.ERROR);
    int code = in.u16("code");
    return new Reason(code, in.utf8(in.remaining(), "reason"));
  }

  /** {@code text} cut at a character boundary so that it fits {@link #MAX_REASON_BYTES}. */
  static String truncate(String text) {
    String s = text.replaceAll("\\p{Cs}", "?"); // an unpaired surrogate has no UTF-8 form
    if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
      return s;
    }
    int bytes = 0;
    int end = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > MAX_REASON_BYTES - 3) {
        break;
      }
      bytes += n;
      end += Character.charCount(cp);
    }
    return s.substring(0, end) + "...";
  }
}
