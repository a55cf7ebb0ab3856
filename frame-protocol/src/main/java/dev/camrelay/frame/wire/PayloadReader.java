package dev.camrelay.frame.wire;

import java.nio.ByteBuffer;

/** Bounds-checked reads of a payload's fields; a field past the end is a PROTOCOL_ERROR naming the field. */
final class PayloadReader {
  private final ByteBuffer buf;
  private final String what;

  PayloadReader(Message message, MessageType... expected) {
    boolean ok = false;
    for (MessageType t : expected) {
      ok |= message.type() == t;
    }
    if (!ok) {
      throw new IllegalArgumentException("expected a " + expected[0] + " message, got " + message);
    }
    this.buf = message.payload();
    this.what = message.type().name();
  }

  int remaining() {
    return buf.remaining();
  }

  int u8(String field) throws ProtocolException {
    need(1, field);
    return buf.get() & 0xFF;
  }

  int u16(String field) throws ProtocolException {
    need(2, field);
    return buf.getShort() & 0xFFFF;
  }

  long u32(String field) throws ProtocolException {
    need(4, field);
    return buf.getInt() & 0xFFFFFFFFL;
  }

  byte[] bytes(int n, String field) throws ProtocolException {
    need(n, field);
    byte[] out = new byte[n];
    buf.get(out);
    return out;
  }

  String utf8(int n, String field) throws ProtocolException {
    need(n, field);
    return Text.decodeUtf8(buf, n, what + " " + field);
  }

  private void need(int n, String field) throws ProtocolException {
    if (buf.remaining() < n) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
          what + " truncated: " + field + " needs " + n + " bytes, " + buf.remaining() + " left");
    }
  }
}
