package dev.camrelay.frame.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The HELLO payload, the camera's first message: who it is, its secret, what it can do.
 *
 * <pre>
 * +----------+--------------+-------+-----------+----------+--------+-------+----------+ - - - - - - -
 * |maxVersion| capabilities | idLen | camera id | tokenLen | token  | fwLen | firmware |  extensions
 * |    u8    |     u32      |  u8   |  ASCII    |    u8    | UTF-8  |  u8   |  UTF-8   |  (ignored)
 * +----------+--------------+-------+-----------+----------+--------+-------+----------+ - - - - - - -
 * </pre>
 *
 * Limits: camera id as {@link CameraId#RULE} says (1..64 characters of {@code A-Z a-z 0-9 . _ -}, not {@code .} or
 * {@code ..}); token and firmware at most 255 UTF-8 bytes each
 * ({@code ""} = absent); the whole payload at most 4096 bytes. Bytes after the firmware are ignored (room for later
 * v1 fields). {@link #toString()} never shows the token.
 *
 * @param maxVersion the highest protocol version the camera speaks, 1..255
 * @param capabilities bit set of {@link #ON_DEMAND}, {@link #CONTROL} (unknown bits are kept)
 * @param cameraId the camera's id
 * @param token the camera's secret, {@code ""} if none
 * @param firmware free text such as {@code "camrelay-esp32/0.1.0"}, {@code ""} if none
 */
public record Hello(int maxVersion, int capabilities, String cameraId, String token, String firmware) {
  /** Capability bit 0: streams only when told to (WELCOME STREAM, {@code {"cmd":"stream","on":…}}). */
  public static final int ON_DEMAND = 0x1;
  /** Capability bit 1: accepts control commands from viewers. */
  public static final int CONTROL = 0x2;
  /** Longest camera id, in characters ({@link CameraId#MAX_LENGTH}). */
  public static final int MAX_CAMERA_ID_LENGTH = CameraId.MAX_LENGTH;
  /** Longest token or firmware text, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 255;

  /**
   * Validates every field.
   *
   * @throws IllegalArgumentException for a camera id that breaks {@link CameraId#RULE} (also null), a version outside 1..255, a token or firmware text
   *     longer than 255 UTF-8 bytes (the message never contains the token)
   */
  public Hello {
    if (maxVersion < 1 || maxVersion > 255) {
      throw new IllegalArgumentException("maxVersion " + maxVersion + " is outside 1..255");
    }
    CameraId.check(cameraId);
    token = token == null ? "" : token;
    firmware = firmware == null ? "" : firmware;
    if (Text.encodeUtf8(token, "token").length > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("token is longer than " + MAX_TEXT_BYTES + " UTF-8 bytes");
    }
    if (Text.encodeUtf8(firmware, "firmware").length > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("firmware text is longer than " + MAX_TEXT_BYTES + " UTF-8 bytes");
    }
  }

  /** A v1 HELLO with no capabilities and no firmware text; {@code token} may be null or empty for none. */
  public static Hello of(String cameraId, String token) {
    return new Hello(Message.VERSION, 0, cameraId, token, "");
  }

  /**
   * True if {@code id} follows {@link CameraId#RULE}.
   *
   * @deprecated use {@link CameraId#isValid(String)}, the one home of the rule
   */
  @Deprecated(forRemoval = true)
  public static boolean isValidCameraId(String id) {
    return CameraId.isValid(id);
  }

  /** True if a token is present. */
  public boolean hasToken() {
    return !token.isEmpty();
  }

  /** The token, or null if none (the form relay authenticators take). */
  public String tokenOrNull() {
    return token.isEmpty() ? null : token;
  }

  /** Capability {@link #ON_DEMAND}. */
  public boolean onDemand() {
    return (capabilities & ON_DEMAND) != 0;
  }

  /** Capability {@link #CONTROL}. */
  public boolean acceptsControl() {
    return (capabilities & CONTROL) != 0;
  }

  /** The payload bytes. */
  public byte[] encode() {
    byte[] id = Text.encodeUtf8(cameraId, "camera id");
    byte[] tok = Text.encodeUtf8(token, "token");
    byte[] fw = Text.encodeUtf8(firmware, "firmware");
    ByteBuffer out = ByteBuffer.allocate(1 + 4 + 1 + id.length + 1 + tok.length + 1 + fw.length);
    out.put((byte) maxVersion).putInt(capabilities);
    out.put((byte) id.length).put(id);
    out.put((byte) tok.length).put(tok);
    out.put((byte) fw.length).put(fw);
    return out.array();
  }

  /**
   * Reads a HELLO payload; trailing extension bytes are ignored.
   *
   * @throws ProtocolException PROTOCOL_ERROR for a truncated field, invalid UTF-8, a camera id that breaks
   *     {@link CameraId#RULE} or version 0
   * @throws IllegalArgumentException if {@code message} is not a HELLO
   */
  public static Hello decode(Message message) throws ProtocolException {
    PayloadReader in = new PayloadReader(message, MessageType.HELLO);
    int maxVersion = in.u8("maxVersion");
    if (maxVersion == 0) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "HELLO maxVersion 0 is invalid (must be at least 1)");
    }
    int capabilities = (int) in.u32("capabilities");
    // Bytes map one to one onto chars (ISO-8859-1): anything outside the rule's ASCII stays invalid and shows as \xNN.
    String cameraId = new String(in.bytes(in.u8("camera id length"), "camera id"), StandardCharsets.ISO_8859_1);
    if (!CameraId.isValid(cameraId)) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, CameraId.invalidMessage(cameraId));
    }
    // The token's bytes never reach an error message: utf8() reports only offsets.
    String token = in.utf8(in.u8("token length"), "token");
    String firmware = in.utf8(in.u8("firmware length"), "firmware");
    return new Hello(maxVersion, capabilities, cameraId, token, firmware);
  }

  /** Every field except the token, which shows only as {@code <set>} or {@code <none>}. */
  @Override
  public String toString() {
    List<String> caps = new ArrayList<>();
    if (onDemand()) {
      caps.add("ON_DEMAND");
    }
    if (acceptsControl()) {
      caps.add("CONTROL");
    }
    if ((capabilities & ~(ON_DEMAND | CONTROL)) != 0) {
      caps.add(String.format("0x%08X", capabilities & ~(ON_DEMAND | CONTROL)));
    }
    return "Hello[maxVersion=" + maxVersion + ", capabilities=" + (caps.isEmpty() ? "none" : String.join("|", caps))
        + ", cameraId=" + cameraId + ", token=" + (hasToken() ? "<set>" : "<none>")
        + ", firmware=" + firmware + "]";
  }
}
