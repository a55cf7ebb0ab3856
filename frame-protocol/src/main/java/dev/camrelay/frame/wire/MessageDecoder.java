package dev.camrelay.frame.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Push decoder of the framed camera protocol v1: byte chunks of any size in, complete {@link Message}s out. No
 * sockets, no threads; one decoder per connection, used by one thread at a time.
 *
 * <p>Each header is checked in this order, from the header bytes alone and before any payload is allocated:
 * magic ({@link ErrorCode#PROTOCOL_ERROR}, decided as soon as 4 bytes are in), version ({@link ErrorCode#UNSUPPORTED}),
 * length ≤ {@code maxPayload} ({@link ErrorCode#TOO_LARGE}), type (unknown: skipped and counted, or
 * {@link ErrorCode#UNSUPPORTED} with {@link Message#FLAG_MUST_UNDERSTAND}), length ≤ the type's limit
 * ({@link ErrorCode#TOO_LARGE}). Payload contents are not interpreted here; see {@link Hello#decode(Message)} etc.
 *
 * <p>A delivered message owns its payload: the payload is copied once, from the input into a new array of exactly
 * its size, and the message may be kept. The decoder never reuses that array: it drops its reference on delivery and
 * allocates a fresh one for the next message, so {@link Message#payloadAsJpeg()} can hand it to a
 * {@link dev.camrelay.frame.jpeg.JpegFrame} without a second copy, and the caller may reuse its input buffers as soon
 * as {@code feed} returns. The largest allocation is therefore {@code maxPayload} per decoder, made only after a
 * header announcing that size and the first payload byte arrived.
 *
 * <p>After a {@link ProtocolException} the decoder is dead: every later {@code feed} throws again (the connection
 * should be answered with {@link Message#error(ProtocolException)} and closed). If the consumer throws, the
 * exception propagates and the decoder is dead too (the rest of that chunk was not consumed).
 */
public final class MessageDecoder {
  /** The default maximum payload, 4 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD = 4 * 1024 * 1024;

  private static final int HEADER = 0;
  private static final int PAYLOAD = 1;
  private static final int SKIP = 2;
  private static final int DEAD = 3;

  private final int maxPayload;
  private final Consumer<Message> out;
  private final byte[] header = new byte[Message.HEADER_LENGTH];

  private int state = HEADER;
  private int headerFill;
  /** Null until the first payload byte arrives (then exactly payloadLength long). */
  private byte[] payload;
  private int payloadLength;
  private int payloadFill;
  private long skipRemaining;
  private int typeCode;
  private int flags;
  private long sequence;
  private long timestampMicros;
  private String deathCause;
  private int deathCode;

  private long messages;
  private long skipped;
  private long bytes;

  /**
   * @param maxPayload the largest payload accepted, 0..Integer.MAX_VALUE; larger lengths fail with TOO_LARGE
   * @param out receives each complete message, on the thread calling {@code feed}
   */
  public MessageDecoder(int maxPayload, Consumer<Message> out) {
    if (maxPayload < 0) {
      throw new IllegalArgumentException("maxPayload " + maxPayload + " is negative");
    }
    this.maxPayload = maxPayload;
    this.out = Objects.requireNonNull(out, "out");
  }

  /** A decoder with {@link #DEFAULT_MAX_PAYLOAD}. */
  public MessageDecoder(Consumer<Message> out) {
    this(DEFAULT_MAX_PAYLOAD, out);
  }

  /** Consumes {@code len} bytes of {@code buf} from {@code off}, delivering every message they complete. */
  public void feed(byte[] buf, int off, int len) throws ProtocolException {
    Objects.checkFromIndexSize(off, len, buf.length);
    checkAlive();
    int end = off + len;
    try {
      while (off < end) {
        int n;
        switch (state) {
          case HEADER -> {
            n = Math.min(end - off, Message.HEADER_LENGTH - headerFill);
            System.arraycopy(buf, off, header, headerFill, n);
            headerFill += n;
            bytes += n;
            headerProgress(headerFill - n);
          }
          case PAYLOAD -> {
            if (payload == null && end - off >= payloadLength) {
              // The whole payload is here: allocate and copy in one step (no zeroing of the new array).
              n = payloadLength;
              bytes += n;
              deliver(Arrays.copyOfRange(buf, off, off + n));
              break;
            }
            if (payload == null) {
              payload = new byte[payloadLength];
            }
            n = Math.min(end - off, payloadLength - payloadFill);
            System.arraycopy(buf, off, payload, payloadFill, n);
            payloadFill += n;
            bytes += n;
            if (payloadFill == payloadLength) {
              deliver(payload);
            }
          }
          case SKIP -> {
            n = (int) Math.min(end - off, skipRemaining);
            skip(n);
          }
          default -> throw new IllegalStateException("decoder is dead");
        }
        off += n;
      }
    } catch (ProtocolException | RuntimeException | Error e) {
      die(e);
      throw e;
    }
  }

  /** Consumes all of {@code buf}'s remaining bytes (its position advances by what was consumed). */
  public void feed(ByteBuffer buf) throws ProtocolException {
    if (buf.hasArray()) {
      int start = buf.position();
      long before = bytes;
      try {
        feed(buf.array(), buf.arrayOffset() + start, buf.remaining());
      } finally {
        buf.position(start + (int) (bytes - before));
      }
      return;
    }
    checkAlive();
    try {
      while (buf.hasRemaining()) {
        switch (state) {
          case HEADER -> {
            int n = Math.min(buf.remaining(), Message.HEADER_LENGTH - headerFill);
            buf.get(header, headerFill, n);
            headerFill += n;
            bytes += n;
            headerProgress(headerFill - n);
          }
          case PAYLOAD -> {
            if (payload == null) {
              payload = new byte[payloadLength];
            }
            int n = Math.min(buf.remaining(), payloadLength - payloadFill);
            buf.get(payload, payloadFill, n);
            payloadFill += n;
            bytes += n;
            if (payloadFill == payloadLength) {
              deliver(payload);
            }
          }
          case SKIP -> {
            int n = (int) Math.min(buf.remaining(), skipRemaining);
            buf.position(buf.position() + n);
            skip(n);
          }
          default -> throw new IllegalStateException("decoder is dead");
        }
      }
    } catch (ProtocolException | RuntimeException | Error e) {
      die(e);
      throw e;
    }
  }

  /**
   * The peer closed the connection. Fails if a message was cut short (it is never delivered).
   *
   * @throws ProtocolException PROTOCOL_ERROR naming how much of which message arrived
   */
  public void endOfStream() throws ProtocolException {
    if (state == DEAD || !midMessage()) {
      return;
    }
    String detail;
    if (state == HEADER) {
      detail = "stream ended inside a message header (" + headerFill + " of " + Message.HEADER_LENGTH + " bytes)";
    } else if (state == PAYLOAD) {
      detail = "stream ended inside a " + MessageType.fromCode(typeCode) + " message (" + payloadFill + " of "
          + payloadLength + " payload bytes)";
    } else {
      detail = String.format("stream ended inside a skipped message of type 0x%02X (%d bytes missing)", typeCode,
          skipRemaining);
    }
    ProtocolException e = new ProtocolException(ErrorCode.PROTOCOL_ERROR, detail);
    die(e);
    throw e;
  }

  /** True while part of a message (header, payload or skipped bytes) is buffered and more bytes are needed. */
  public boolean midMessage() {
    return state == PAYLOAD || state == SKIP || (state == HEADER && headerFill > 0);
  }

  /** Messages delivered so far. */
  public long messagesDecoded() {
    return messages;
  }

  /** Messages of unknown types skipped so far. */
  public long unknownSkipped() {
    return skipped;
  }

  /** Bytes consumed so far. */
  public long bytesConsumed() {
    return bytes;
  }

  /** The maximum payload this decoder accepts. */
  public int maxPayload() {
    return maxPayload;
  }

  private void headerProgress(int before) throws ProtocolException {
    if (before < 4 && headerFill >= 4) {
      checkMagic();
    }
    if (before < 5 && headerFill >= 5 && header[4] != Message.VERSION) {
      throw new ProtocolException(ErrorCode.UNSUPPORTED, "unsupported protocol version " + (header[4] & 0xFF));
    }
    if (headerFill == Message.HEADER_LENGTH) {
      onHeader();
    }
  }

  private void checkMagic() throws ProtocolException {
    int magic = (header[0] & 0xFF) << 24 | (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
    if (magic != Message.MAGIC) {
      throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
          "bad magic " + Text.hex(header, 0, 4) + " (" + guess(header) + ")");
    }
  }

  /** What a peer that got the port wrong probably sent. */
  private static String guess(byte[] h) {
    String start = new String(h, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (start.matches("GET |POST|PUT |HEAD|HTTP|OPTI|DELE|PATC|CONN|PRI ")) {
      return "looks like HTTP?";
    }
    if (h[0] == 0x16 && h[1] == 0x03) {
      return "looks like TLS?";
    }
    if ((h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8) {
      return "looks like a raw JPEG?";
    }
    return "expected 43 52 4C 59 \"CRLY\"";
  }

  private void onHeader() throws ProtocolException {
    ByteBuffer h = ByteBuffer.wrap(header);
    typeCode = h.get(5) & 0xFF;
    flags = h.getShort(6) & 0xFFFF;
    long length = h.getInt(8) & 0xFFFFFFFFL;
    sequence = h.getInt(12) & 0xFFFFFFFFL;
    timestampMicros = h.getLong(16);
    headerFill = 0;
    if (length > maxPayload) {
      throw new ProtocolException(ErrorCode.TOO_LARGE,
          "payload length " + length + " exceeds the maximum " + maxPayload);
    }
    MessageType type = MessageType.fromCode(typeCode);
    if (type == null) {
      if ((flags & Message.FLAG_MUST_UNDERSTAND) != 0) {
        throw new ProtocolException(ErrorCode.UNSUPPORTED,
            String.format("unknown message type 0x%02X with MUST_UNDERSTAND set", typeCode));
      }
      skipped++;
      skipRemaining = length;
      state = length == 0 ? HEADER : SKIP;
      return;
    }
    if (length > type.maxPayload()) {
      throw new ProtocolException(ErrorCode.TOO_LARGE,
          type + " payload length " + length + " exceeds the maximum " + type.maxPayload());
    }
    payload = null; // allocated when the first payload byte arrives
    payloadLength = (int) length;
    payloadFill = 0;
    if (length == 0) {
      deliver(new byte[0]);
    } else {
      state = PAYLOAD;
    }
  }

  private void skip(int n) {
    skipRemaining -= n;
    bytes += n;
    if (skipRemaining == 0) {
      state = HEADER;
    }
  }

  private void deliver(byte[] complete) {
    Message message = Message.decoded(typeCode, flags, sequence, timestampMicros, complete);
    payload = null;
    state = HEADER;
    messages++;
    out.accept(message);
  }

  private void checkAlive() throws ProtocolException {
    if (state == DEAD) {
      if (deathCause == null) {
        throw new IllegalStateException("decoder is unusable: the message consumer threw earlier");
      }
      throw new ProtocolException(deathCode, "decoder failed earlier: " + deathCause);
    }
  }

  private void die(Throwable e) {
    if (state == DEAD) {
      return;
    }
    state = DEAD;
    payload = null;
    if (e instanceof ProtocolException p) {
      deathCode = p.code();
      deathCause = p.getMessage();
    }
  }
}
