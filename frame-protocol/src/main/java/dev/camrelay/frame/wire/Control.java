package dev.camrelay.frame.wire;

/**
 * The CONTROL payload: a request (relay → camera) or its reply (camera → relay, header flag
 * {@link Message#FLAG_REPLY}).
 *
 * <pre>
 * +------------+----------------------------------------+
 * | request id |  JSON, UTF-8, e.g. {"cmd":"quality",…}  |
 * |    u32     |  at most 65532 bytes                    |
 * +------------+----------------------------------------+
 * </pre>
 *
 * The JSON is forwarded untouched; only its UTF-8 validity and size are checked here.
 *
 * @param requestId 0..4294967295, echoed by the reply
 * @param json the command or reply
 * @param reply true for a reply
 */
public record Control(long requestId, String json, boolean reply) {
  /** Largest JSON text in UTF-8 bytes (the CONTROL limit minus the request id). */
  public static final int MAX_JSON_BYTES = 65536 - 4;

  /** Validates the ranges; throws IllegalArgumentException otherwise. */
  public Control {
    if (requestId < 0 || requestId > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("request id " + requestId + " does not fit in u32");
    }
    if (Text.encodeUtf8(json, "CONTROL JSON").length > MAX_JSON_BYTES) {
      throw new IllegalArgumentException("CONTROL JSON is longer than " + MAX_JSON_BYTES + " UTF-8 bytes");
    }
  }

  /** The payload bytes (the REPLY flag goes in the header, see {@link Message#control(Control)}). */
  public byte[] encode() {
    byte[] text = Text.encodeUtf8(json, "CONTROL JSON");
    return java.nio.ByteBuffer.allocate(4 + text.length).putInt((int) requestId).put(text).array();
  }

  /**
   * Reads a CONTROL message; {@link #reply()} comes from the header flag.
   *
   * @throws ProtocolException PROTOCOL_ERROR if shorter than 4 bytes or the JSON is not valid UTF-8
   * @throws IllegalArgumentException if {@code message} is not a CONTROL
   */
  public static Control decode(Message message) throws ProtocolException {
    PayloadReader in = new PayloadReader(message, MessageType.CONTROL);
    long requestId = in.u32("request id");
    String json = in.utf8(in.remaining(), "JSON");
    return new Control(requestId, json, (message.flags() & Message.FLAG_REPLY) != 0);
  }
}
