package dev.camrelay.frame.wire;

import dev.camrelay.frame.internal.ByteScan;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Strict UTF-8 and hex helpers shared by the payload records. */
final class Text {
  private Text() {}

  /**
   * Decodes {@code length} bytes at {@code src}'s position as strict UTF-8 (no replacement characters: overlongs,
   * surrogates and truncated sequences are errors) and advances the position past them.
   */
  static String decodeUtf8(ByteBuffer src, int length, String what) throws ProtocolException {
    ByteBuffer in = src.slice(src.position(), length);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
          what + " is not valid UTF-8 (malformed byte sequence at offset " + in.position() + ")");
    }
    src.position(src.position() + length);
    return out.flip().toString();
  }

  /** UTF-8 bytes of {@code s}; an unpaired surrogate (which has no UTF-8 form) is rejected, never replaced. */
  static byte[] encodeUtf8(String s, String what) {
    try {
      ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] out = new byte[bytes.remaining()];
      bytes.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " has no UTF-8 form (unpaired surrogate)", e);
    }
  }

  /** {@code "47 45 54 20"}: upper-case hex bytes separated by spaces, for error messages. */
  static String hex(byte[] bytes, int off, int len) {
    return ByteScan.hex(bytes, off, len, len).toUpperCase(Locale.ROOT);
  }
}
