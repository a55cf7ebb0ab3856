package dev.camrelay.frame.wire;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One message of the framed camera protocol v1: a 24-byte header and a payload. Immutable and safe to share
 * between threads; {@link #payload()} hands out read-only views, {@link #payloadAsJpeg()} a FRAME's JPEG without a
 * copy.
 *
 * <pre>
 *  0       4       5       6               8                12               16                               24
 * +-------+-------+-------+---------------+----------------+----------------+--------------------------------+
 * | magic |version| type  |    flags      | payload length |    sequence    |  timestamp (µs, camera clock)  |
 * |"CRLY" |  0x01 |  u8   |     u16       |      u32       |      u32       |              u64               |
 * +-------+-------+-------+---------------+----------------+----------------+--------------------------------+
 * </pre>
 *
 * All integers are big-endian. {@code sequence} and {@code timestamp} are meaningful for FRAME (frame number and
 * capture time) and 0 for the other types built here. The factories enforce each type's payload limit
 * ({@link MessageType#maxPayload()}); see {@code frame-protocol/PROTOCOL.md} for the full specification.
 */
public final class Message {
  /** Bytes in every header. */
  public static final int HEADER_LENGTH = 24;
  /** The protocol version this library speaks. */
  public static final int VERSION = 1;
  /** Header flag bit 15: a receiver that does not know the type must fail (ERROR 2) instead of skipping it. */
  public static final int FLAG_MUST_UNDERSTAND = 0x8000;
  /** Header flag bit 0 on CONTROL: this is a reply (camera → relay), not a request. */
  public static final int FLAG_REPLY = 0x0001;
  /** The magic as a big-endian int: {@code 43 52 4C 59} = "CRLY". */
  public static final int MAGIC = 0x43524C59;

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

  private final int typeCode;
  private final int flags;
  private final long sequence;
  private final long timestampMicros;
  /** Read-only, position 0, limit = payload length; only duplicates leave this object. */
  private final ByteBuffer payload;
  /** The array behind {@link #payload} (from offset 0) when we know it, so writers can skip a copy; else null. */
  private final byte[] array;

  private Message(int typeCode, int flags, long sequence, long timestampMicros, ByteBuffer payload, byte[] array) {
    this.typeCode = typeCode;
    this.flags = flags;
    this.sequence = sequence;
    this.timestampMicros = timestampMicros;
    this.payload = payload;
    this.array = array;
  }

  /** For the decoder: header fields already validated, {@code payload} is a fresh exact-size array it gives up. */
  static Message decoded(int typeCode, int flags, long sequence, long timestampMicros, byte[] payload) {
    ByteBuffer view = payload.length == 0 ? EMPTY : ByteBuffer.wrap(payload).asReadOnlyBuffer();
    return new Message(typeCode, flags, sequence, timestampMicros, view, payload);
  }

  /**
   * A message of any type, including codes v1 does not define (e.g. to test that a peer skips them).
   * The array is not copied: do not modify it afterwards.
   *
   * @throws IllegalArgumentException if a field does not fit its wire size or the payload exceeds the type's limit
   */
  public static Message of(int typeCode, int flags, long sequence, long timestampMicros, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    check(typeCode, flags, sequence, payload.length);
    return decoded(typeCode, flags, sequence, timestampMicros, payload);
  }

  /**
   * Like {@link #of(int, int, long, long, byte[])} over {@code payload}'s remaining bytes, without copying them (the
   * buffer's position is not changed; do not modify its content afterwards).
   */
  public static Message of(int typeCode, int flags, long sequence, long timestampMicros, ByteBuffer payload) {
    check(typeCode, flags, sequence, payload.remaining());
    ByteBuffer view = payload.slice().asReadOnlyBuffer();
    byte[] array = null;
    if (payload.hasArray() && payload.arrayOffset() + payload.position() == 0
        && payload.remaining() == payload.array().length) {
      array = payload.array();
    }
    return new Message(typeCode, flags, sequence, timestampMicros, view, array);
  }

  private static void check(int typeCode, int flags, long sequence, int length) {
    if (typeCode < 0 || typeCode > 0xFF) {
      throw new IllegalArgumentException("type code " + typeCode + " does not fit in u8");
    }
    if (flags < 0 || flags > 0xFFFF) {
      throw new IllegalArgumentException("flags " + flags + " do not fit in u16");
    }
    if (sequence < 0 || sequence > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("sequence " + sequence + " does not fit in u32");
    }
    MessageType type = MessageType.fromCode(typeCode);
    if (type != null && length > type.maxPayload()) {
      throw new IllegalArgumentException(
          type + " payload length " + length + " exceeds the maximum " + type.maxPayload());
    }
  }

  /** HELLO carrying {@code hello}; sequence and timestamp 0. */
  public static Message hello(Hello hello) {
    return of(MessageType.HELLO.code(), 0, 0, 0, hello.encode());
  }

  /** WELCOME carrying {@code welcome}. */
  public static Message welcome(Welcome welcome) {
    return of(MessageType.WELCOME.code(), 0, 0, 0, welcome.encode());
  }

  /**
   * FRAME carrying one complete JPEG (not validated here), without copying it: do not modify the array afterwards.
   *
   * @param sequence frame number, 0..4294967295 (wrap with {@code & 0xFFFFFFFFL})
   * @param timestampMicros capture time in µs on the camera's clock, 0 if unknown
   */
  public static Message frame(long sequence, long timestampMicros, byte[] jpeg) {
    return of(MessageType.FRAME.code(), 0, sequence, timestampMicros, jpeg);
  }

  /** FRAME carrying a validated JPEG, without copying it. */
  public static Message frame(long sequence, long timestampMicros, JpegFrame jpeg) {
    return of(MessageType.FRAME.code(), 0, sequence, timestampMicros, jpeg.asByteBuffer());
  }

  /** FRAME over {@code jpeg}'s remaining bytes, without copying them. */
  public static Message frame(long sequence, long timestampMicros, ByteBuffer jpeg) {
    return of(MessageType.FRAME.code(), 0, sequence, timestampMicros, jpeg);
  }

  /** CONTROL request ({@code reply == false}, relay → camera) or reply (camera → relay). */
  public static Message control(long requestId, String json, boolean reply) {
    return control(new Control(requestId, json, reply));
  }

  /** CONTROL carrying {@code control}; sets {@link #FLAG_REPLY} for replies. */
  public static Message control(Control control) {
    return of(MessageType.CONTROL.code(), control.reply() ? FLAG_REPLY : 0, 0, 0, control.encode());
  }

  /** PING with 0..64 opaque bytes (copied). */
  public static Message ping(byte[] data) {
    return of(MessageType.PING.code(), 0, 0, 0, data.clone());
  }

  /** PONG with 0..64 bytes (copied); usually {@link #pongFor(Message)}. */
  public static Message pong(byte[] data) {
    return of(MessageType.PONG.code(), 0, 0, 0, data.clone());
  }

  /** The PONG answering {@code ping}: the same payload bytes. */
  public static Message pongFor(Message ping) {
    if (ping.type() != MessageType.PING) {
      throw new IllegalArgumentException("not a PING: " + ping);
    }
    return of(MessageType.PONG.code(), 0, 0, 0, ping.payload());
  }

  /** BYE (orderly close) with an {@link ErrorCode} and a reason for humans (at most 4094 UTF-8 bytes). */
  public static Message bye(int code, String reason) {
    return of(MessageType.BYE.code(), 0, 0, 0, new Reason(code, reason).encode());
  }

  /** ERROR with an {@link ErrorCode} and a reason for humans (at most 4094 UTF-8 bytes); the sender then closes. */
  public static Message error(int code, String reason) {
    return of(MessageType.ERROR.code(), 0, 0, 0, new Reason(code, reason).encode());
  }

  /** The ERROR answering a {@link ProtocolException}: its code and message (shortened to the limit if needed). */
  public static Message error(ProtocolException e) {
    return error(e.code(), Reason.truncate(String.valueOf(e.getMessage())));
  }

  /** The type, or {@code null} for a code v1 does not define (only possible for messages built by {@code of}). */
  public MessageType type() {
    return MessageType.fromCode(typeCode);
  }

  /** The type byte, 0..255. */
  public int typeCode() {
    return typeCode;
  }

  /** The u16 header flags, e.g. {@link #FLAG_REPLY}. */
  public int flags() {
    return flags;
  }

  /** The u32 header sequence, 0..4294967295 (the frame number for FRAME). */
  public long sequence() {
    return sequence;
  }

  /** The u64 header timestamp (capture time in µs for FRAME); values above 2^63-1 read as negative. */
  public long timestampMicros() {
    return timestampMicros;
  }

  /** Payload bytes. */
  public int payloadLength() {
    return payload.limit();
  }

  /** A read-only view of the payload, position 0, limit {@link #payloadLength()}; a new view on every call. */
  public ByteBuffer payload() {
    return payload.duplicate();
  }

  /** A copy of the payload. */
  public byte[] payloadBytes() {
    byte[] out = new byte[payload.limit()];
    payload.duplicate().get(out);
    return out;
  }

  /**
   * This FRAME's payload as a validated {@link JpegFrame}, without copying it when this message holds its payload
   * in an array of exactly that size. That is always so for messages from {@link MessageDecoder}, and for messages
   * built from a whole {@code byte[]} (or a heap buffer spanning a whole array); other payloads (a slice, a direct
   * or read-only buffer, {@link #frame(long, long, JpegFrame)}) are copied once.
   *
   * <p>Ownership: the decoder allocates a new array for every message, gives it up on delivery and never writes to
   * it again; this message never writes to it either and hands out only read-only views ({@link #payload()}) or
   * copies ({@link #payloadBytes()}). The returned frame shares that array, which stays unmodified because nobody
   * holds a writable reference — except, for messages built by {@code of}/{@code frame} from a caller's array, that
   * caller, who promised not to modify it (the same promise {@link JpegFrame#parse(byte[])} asks for). Each call
   * validates the bytes again and returns a new frame over the same array.
   *
   * @throws JpegFormatException if the payload is not exactly one complete JPEG (the relay drops such a frame)
   * @throws IllegalStateException if this message is not a FRAME
   */
  public JpegFrame payloadAsJpeg() throws JpegFormatException {
    if (typeCode != MessageType.FRAME.code()) {
      throw new IllegalStateException("not a FRAME: " + this);
    }
    return JpegFrame.parse(array != null ? array : payloadBytes());
  }

  /** The array holding exactly the payload when known (never handed to users), else null. */
  byte[] payloadArray() {
    return array;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && typeCode == m.typeCode
        && flags == m.flags
        && sequence == m.sequence
        && timestampMicros == m.timestampMicros
        && payload.equals(m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(typeCode, flags, sequence, timestampMicros, payload);
  }

  /** Header fields and payload size only: payloads may hold tokens. */
  @Override
  public String toString() {
    MessageType type = type();
    return (type != null ? type.name() : String.format("type 0x%02X", typeCode))
        + "(seq=" + sequence + ", ts=" + Long.toUnsignedString(timestampMicros) + "us"
        + String.format(", flags=0x%04X, ", flags) + payload.limit() + " bytes)";
  }
}
