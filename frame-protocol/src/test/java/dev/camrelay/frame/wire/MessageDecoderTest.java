package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageDecoderTest {
  private static final byte[] JPEG = TestJpegs.jpeg(40, 30, 1);
  private static final byte[] BIG_JPEG = TestJpegs.jpeg(160, 120, 2);

  private final List<Message> received = new ArrayList<>();

  /** A session's worth of messages, including an unknown type that must be skipped. */
  private static List<Message> session() {
    return List.of(
        Message.hello(new Hello(1, Hello.ON_DEMAND | Hello.CONTROL, "porch", "secret", "fw 1.0 ✓")),
        Message.welcome(Welcome.of(1, true, MessageDecoder.DEFAULT_MAX_PAYLOAD)),
        Message.frame(0, 1_000_000, JPEG),
        Message.of(0x7E, 0, 0, 0, new byte[] {1, 2, 3}),
        Message.frame(1, 1_033_333, BIG_JPEG),
        Message.control(9, "{\"cmd\":\"status\"}", false),
        Message.control(9, "{\"ok\":true,\"heap\":81234}", true),
        Message.ping(new byte[0]),
        Message.pong(new byte[] {9, 8, 7}),
        Message.frame(4294967295L, -1L, JPEG),
        Message.bye(ErrorCode.NORMAL, "bye"));
  }

  private static List<Message> delivered() {
    return session().stream().filter(m -> m.type() != null).toList();
  }

  private static byte[] wire(List<Message> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    messages.forEach(m -> out.writeBytes(MessageEncoder.encode(m)));
    return out.toByteArray();
  }

  private MessageDecoder decoder() {
    return new MessageDecoder(received::add);
  }

  @Test
  void decodesASessionFedInOneChunk() throws Exception {
    byte[] wire = wire(session());
    MessageDecoder decoder = decoder();
    decoder.feed(wire, 0, wire.length);
    assertThat(received).containsExactlyElementsOf(delivered());
    assertThat(decoder.messagesDecoded()).isEqualTo(delivered().size());
    assertThat(decoder.unknownSkipped()).isEqualTo(1);
    assertThat(decoder.bytesConsumed()).isEqualTo(wire.length);
    assertThat(decoder.midMessage()).isFalse();
  }

  @Test
  void everyCutIntoTwoChunksYieldsTheSameMessages() throws Exception {
    byte[] wire = wire(session());
    for (int cut = 0; cut <= wire.length; cut++) {
      received.clear();
      MessageDecoder decoder = decoder();
      decoder.feed(wire, 0, cut);
      decoder.feed(wire, cut, wire.length - cut);
      decoder.endOfStream();
      assertThat(received).as("cut at %d", cut).containsExactlyElementsOf(delivered());
    }
  }

  @Test
  void oneByteAtATimeYieldsTheSameMessages() throws Exception {
    byte[] wire = wire(session());
    MessageDecoder decoder = decoder();
    for (int i = 0; i < wire.length; i++) {
      decoder.feed(wire, i, 1);
    }
    decoder.endOfStream();
    assertThat(received).containsExactlyElementsOf(delivered());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void randomCutsWithAFixedSeedYieldTheSameMessages(long seed) throws Exception {
    byte[] wire = wire(session());
    Random random = new Random(seed);
    int maxChunk = 1 + random.nextInt(seed % 2 == 0 ? 64 : 8192);
    MessageDecoder decoder = decoder();
    int off = 0;
    while (off < wire.length) {
      int n = Math.min(wire.length - off, random.nextInt(maxChunk + 1)); // zero-length chunks included
      decoder.feed(wire, off, n);
      off += n;
    }
    decoder.endOfStream();
    assertThat(received).containsExactlyElementsOf(delivered());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void byteBuffersInRandomChunksYieldTheSameMessagesAndAreConsumed(boolean direct) throws Exception {
    byte[] wire = wire(session());
    Random random = new Random(42);
    MessageDecoder decoder = decoder();
    int off = 0;
    while (off < wire.length) {
      int n = Math.min(wire.length - off, 1 + random.nextInt(3000));
      ByteBuffer chunk = direct ? ByteBuffer.allocateDirect(n + 10) : ByteBuffer.allocate(n + 10);
      chunk.position(5);
      chunk.put(wire, off, n).flip().position(5); // the chunk does not start at offset 0
      decoder.feed(chunk);
      assertThat(chunk.hasRemaining()).isFalse();
      off += n;
    }
    assertThat(received).containsExactlyElementsOf(delivered());
  }

  @Test
  void truncatedInputLeavesAPartialMessageThatIsNeverDelivered() throws Exception {
    byte[] wire = MessageEncoder.encode(Message.frame(5, 0, JPEG));
    MessageDecoder decoder = decoder();
    decoder.feed(wire, 0, wire.length - 1);
    assertThat(received).isEmpty();
    assertThat(decoder.midMessage()).isTrue();
    assertThatThrownBy(decoder::endOfStream)
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
        .hasMessage("stream ended inside a FRAME message (%d of %d payload bytes)", JPEG.length - 1, JPEG.length);
    assertThat(received).isEmpty();
  }

  @Test
  void aPartialHeaderIsAPartialMessage() throws Exception {
    MessageDecoder decoder = decoder();
    decoder.feed(Hex.bytes("43524c59 01 30 0000 00"), 0, 9);
    assertThat(decoder.midMessage()).isTrue();
    assertThatThrownBy(decoder::endOfStream)
        .hasMessage("stream ended inside a message header (9 of 24 bytes)");
  }

  @Test
  void endOfStreamBetweenMessagesIsClean() throws Exception {
    byte[] wire = wire(session());
    MessageDecoder decoder = decoder();
    assertThat(decoder.midMessage()).isFalse();
    decoder.feed(wire, 0, wire.length);
    decoder.endOfStream();
    assertThat(received).hasSize(delivered().size());
  }

  @Test
  void payloadLengthOf2Pow31IsRejectedFromTheHeaderAloneWithoutAllocating() throws Exception {
    // Even with the largest possible maximum, 2^31 cannot be allocated and must be refused, not attempted.
    MessageDecoder decoder = new MessageDecoder(Integer.MAX_VALUE, received::add);
    byte[] header = Hex.bytes("43524c59 01 10 0000 80000000 00000001 0000000000000000");
    decoder.feed(header, 0, 23);
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decoder.feed(header, 23, 1));
    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(e).hasMessage("payload length 2147483648 exceeds the maximum 2147483647");
  }

  @Test
  void oversizedPayloadIsRefusedBeforeAnyPayloadIsAllocated() throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    int max = 4 * 1024 * 1024;
    byte[] exactlyMax = Hex.bytes("43524c59 01 10 0000 00400000 00000001 0000000000000000 ff"); // + 1 payload byte
    byte[] oneOver = Hex.bytes("43524c59 01 10 0000 00400001 00000001 0000000000000000");

    // The measurement works: a header announcing exactly the maximum, then a first payload byte, makes the decoder
    // allocate the payload.
    MessageDecoder accepting = new MessageDecoder(max, received::add);
    long before = threads.getThreadAllocatedBytes(self);
    accepting.feed(exactlyMax, 0, exactlyMax.length);
    long allocatedForAccepted = threads.getThreadAllocatedBytes(self) - before;
    assertThat(accepting.midMessage()).isTrue();
    assertThat(allocatedForAccepted).isGreaterThanOrEqualTo(max);

    MessageDecoder refusing = new MessageDecoder(max, received::add);
    before = threads.getThreadAllocatedBytes(self);
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> refusing.feed(oneOver, 0, oneOver.length));
    long allocatedForRefused = threads.getThreadAllocatedBytes(self) - before;
    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(e).hasMessage("payload length 4194305 exceeds the maximum 4194304");
    assertThat(allocatedForRefused).as("bytes allocated while refusing").isLessThan(max / 4);
  }

  @Test
  void payloadOfExactlyTheMaximumIsAccepted() throws Exception {
    byte[] payload = new byte[1000];
    Arrays.fill(payload, (byte) 0x5A);
    byte[] wire = MessageEncoder.encode(Message.frame(1, 2, payload));
    new MessageDecoder(1000, received::add).feed(wire, 0, wire.length);
    assertThat(received).singleElement().satisfies(m -> assertThat(m.payloadBytes()).isEqualTo(payload));

    assertThatThrownBy(() -> new MessageDecoder(999, received::add).feed(wire, 0, wire.length))
        .hasMessage("payload length 1000 exceeds the maximum 999");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "474554202f20485454502f312e310d0a | bad magic 47 45 54 20 (looks like HTTP?)",
      "504f5354202f20485454502f312e310d | bad magic 50 4F 53 54 (looks like HTTP?)",
      "160301020000                     | bad magic 16 03 01 02 (looks like TLS?)",
      "ffd8ffe000104a464946             | bad magic FF D8 FF E0 (looks like a raw JPEG?)",
      "00000000                         | bad magic 00 00 00 00 (expected 43 52 4C 59 \"CRLY\")",
      "43524c5a01                       | bad magic 43 52 4C 5A (expected 43 52 4C 59 \"CRLY\")",
  })
  void badMagicIsReportedAfterFourBytesWithAGuessAtWhatThePeerSpeaks(String hex, String message) {
    byte[] wire = Hex.bytes(hex);
    MessageDecoder decoder = decoder();
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> {
      for (int i = 0; i < wire.length; i++) {
        decoder.feed(wire, i, 1);
        assertThat(i).as("the 4th byte decides").isLessThan(3);
      }
    });
    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e).hasMessage(message);
    assertThat(decoder.bytesConsumed()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 255})
  void anyVersionButOneIsUnsupported(int version) {
    byte[] wire = Hex.bytes("43524c59" + String.format("%02x", version) + "30 0000 00000000 00000000 0000000000000000");
    MessageDecoder decoder = decoder();
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decoder.feed(wire, 0, wire.length));
    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(e).hasMessage("unsupported protocol version " + version);
    assertThat(decoder.bytesConsumed()).as("decided at the version byte").isEqualTo(24);
  }

  @Test
  void versionIsCheckedAsSoonAsItsByteArrives() {
    MessageDecoder decoder = decoder();
    assertThatThrownBy(() -> decoder.feed(Hex.bytes("43524c59 02"), 0, 5))
        .hasMessage("unsupported protocol version 2");
  }

  @Test
  void unknownTypesAreSkippedByLengthEvenAcrossChunks() throws Exception {
    byte[] unknown = MessageEncoder.encode(Message.of(0x99, 0x0001, 7, 7, new byte[5000]));
    byte[] ping = MessageEncoder.encode(Message.ping(new byte[] {1}));
    byte[] wire = ByteBuffer.allocate(unknown.length + ping.length).put(unknown).put(ping).array();
    MessageDecoder decoder = decoder();
    for (int off = 0; off < wire.length; off += 1000) {
      decoder.feed(wire, off, Math.min(1000, wire.length - off));
      if (off + 1000 < unknown.length) {
        assertThat(decoder.midMessage()).isTrue();
      }
    }
    assertThat(received).containsExactly(Message.ping(new byte[] {1}));
    assertThat(decoder.unknownSkipped()).isEqualTo(1);
  }

  @Test
  void unknownTypeWithMustUnderstandIsUnsupported() {
    byte[] wire = MessageEncoder.encode(Message.of(0x21, Message.FLAG_MUST_UNDERSTAND, 0, 0, new byte[2]));
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decoder().feed(wire, 0, wire.length));
    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(e).hasMessage("unknown message type 0x21 with MUST_UNDERSTAND set");
  }

  @Test
  void mustUnderstandOnAKnownTypeChangesNothing() throws Exception {
    Message ping = Message.of(MessageType.PING.code(), Message.FLAG_MUST_UNDERSTAND, 0, 0, new byte[] {4});
    byte[] wire = MessageEncoder.encode(ping);
    decoder().feed(wire, 0, wire.length);
    assertThat(received).containsExactly(ping);
  }

  @Test
  void skippingAnUnknownTypeDoesNotBypassTheMaximum() {
    byte[] header = Hex.bytes("43524c59 01 7f 0000 7fffffff 00000000 0000000000000000");
    assertThatThrownBy(() -> decoder().feed(header, 0, header.length))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
        .hasMessage("payload length 2147483647 exceeds the maximum 4194304");
  }

  @ParameterizedTest
  @CsvSource({
      "30, 65, PING payload length 65 exceeds the maximum 64",
      "31, 65, PONG payload length 65 exceeds the maximum 64",
      "01, 4097, HELLO payload length 4097 exceeds the maximum 4096",
      "02, 4097, WELCOME payload length 4097 exceeds the maximum 4096",
      "40, 4097, BYE payload length 4097 exceeds the maximum 4096",
      "41, 4097, ERROR payload length 4097 exceeds the maximum 4096",
      "20, 65537, CONTROL payload length 65537 exceeds the maximum 65536",
  })
  void eachTypeHasItsOwnLimitCheckedFromTheHeader(String type, int length, String message) {
    byte[] header = Hex.bytes("43524c59 01" + type + "0000" + String.format("%08x", length) + "00000000 0000000000000000");
    assertThatThrownBy(() -> decoder().feed(header, 0, header.length))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
        .hasMessage(message);
  }

  @Test
  void garbageAfterAValidMessageFailsWithBadMagicAfterDeliveringTheMessage() {
    byte[] ping = MessageEncoder.encode(Message.ping(new byte[] {1, 2}));
    byte[] garbage = new byte[100];
    new Random(7).nextBytes(garbage);
    garbage[0] = 0x13;
    byte[] wire = ByteBuffer.allocate(ping.length + garbage.length).put(ping).put(garbage).array();
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decoder().feed(wire, 0, wire.length));
    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e.getMessage()).startsWith("bad magic 13 ");
    assertThat(received).containsExactly(Message.ping(new byte[] {1, 2}));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomGarbageFailsWithBadMagicAndNothingIsDelivered(long seed) {
    byte[] garbage = new byte[4096];
    Random random = new Random(seed);
    random.nextBytes(garbage);
    garbage[0] = (byte) (0x44 + random.nextInt(0x40)); // never 'C'
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decoder().feed(garbage, 0, 4096));
    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e.getMessage()).startsWith("bad magic ");
    assertThat(received).isEmpty();
  }

  @Test
  void theDecoderIsDeadAfterAnError() {
    MessageDecoder decoder = decoder();
    assertThatThrownBy(() -> decoder.feed(Hex.bytes("00000000"), 0, 4)).isInstanceOf(ProtocolException.class);
    byte[] valid = MessageEncoder.encode(Message.ping(new byte[0]));
    assertThatThrownBy(() -> decoder.feed(valid, 0, valid.length))
        .isInstanceOfSatisfying(ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
        .hasMessageStartingWith("decoder failed earlier: bad magic 00 00 00 00");
    assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(valid))).isInstanceOf(ProtocolException.class);
    assertThat(received).isEmpty();
  }

  @Test
  void aThrowingConsumerPropagatesAndLeavesTheDecoderUnusable() {
    MessageDecoder decoder = new MessageDecoder(m -> {
      throw new IllegalStateException("consumer broke");
    });
    byte[] wire = MessageEncoder.encode(Message.ping(new byte[0]));
    assertThatThrownBy(() -> decoder.feed(wire, 0, wire.length)).hasMessage("consumer broke");
    assertThatThrownBy(() -> decoder.feed(wire, 0, wire.length)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("consumer threw");
  }

  @Test
  void aDeliveredMessageOwnsItsPayloadAndHandsOutReadOnlyViews() throws Exception {
    byte[] wire = MessageEncoder.encode(Message.frame(3, 4, JPEG));
    decoder().feed(wire, 0, wire.length);
    Arrays.fill(wire, (byte) 0); // the decoder's input buffer is reused by the caller
    Message m = received.get(0);
    assertThat(m.payloadBytes()).isEqualTo(JPEG);

    ByteBuffer view = m.payload();
    assertThat(view.isReadOnly()).isTrue();
    assertThatThrownBy(() -> view.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
    view.position(100);
    assertThat(m.payload().position()).as("views are independent").isZero();
    assertThat(m.payload().remaining()).isEqualTo(JPEG.length);
    byte[] copy = m.payloadBytes();
    copy[0] = 0;
    assertThat(m.payloadBytes()[0]).isEqualTo((byte) 0xFF);
  }

  /** The three ways a payload reaches its array: whole in one chunk, gathered over chunks, from a direct buffer. */
  private List<Message> decodeFrames(String how, byte[] wire) throws Exception {
    MessageDecoder decoder = decoder();
    switch (how) {
      case "whole" -> decoder.feed(wire, 0, wire.length);
      case "byte-by-byte" -> {
        for (int i = 0; i < wire.length; i++) {
          decoder.feed(wire, i, 1);
        }
      }
      case "direct" -> decoder.feed(ByteBuffer.allocateDirect(wire.length).put(wire).flip());
      default -> throw new IllegalArgumentException(how);
    }
    return received;
  }

  @ParameterizedTest
  @ValueSource(strings = {"whole", "byte-by-byte", "direct"})
  void payloadAsJpegSharesTheDecodedArrayInsteadOfCopyingIt(String how) throws Exception {
    Message m = decodeFrames(how, MessageEncoder.encode(Message.frame(3, 4, JPEG))).get(0);
    byte[] array = m.payloadArray();
    assertThat(array).as("the decoder's array, exactly the payload").isEqualTo(JPEG).isNotSameAs(JPEG);

    JpegFrame frame = m.payloadAsJpeg();
    assertThat(frame.size()).isEqualTo(JPEG.length);
    // Proof of sharing: a write to the message's array shows through the frame (only a test may do this).
    int i = JPEG.length / 2;
    array[i] ^= 0x5A;
    assertThat(frame.byteAt(i)).isEqualTo(array[i]).isNotEqualTo(JPEG[i]);
    array[i] ^= 0x5A;
    assertThat(frame.toByteArray()).isEqualTo(JPEG);
  }

  @Test
  void theDecoderNeverWritesToAPayloadItHandedOut() throws Exception {
    List<byte[]> jpegs = List.of(JPEG, BIG_JPEG, TestJpegs.jpeg(8, 8, 3), TestJpegs.jpeg(33, 17, 4));
    List<Message> frames = new ArrayList<>();
    for (int n = 0; n < 12; n++) {
      frames.add(Message.frame(n, n, jpegs.get(n % jpegs.size())));
    }
    byte[] wire = wire(frames);
    for (int chunkSize : new int[] {1, 7, 23, 24, 25, 1000, 4096, wire.length}) {
      for (boolean direct : new boolean[] {false, true}) {
        List<JpegFrame> out = new ArrayList<>();
        List<byte[]> arrays = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(m -> {
          try {
            out.add(m.payloadAsJpeg());
          } catch (JpegFormatException e) {
            throw new AssertionError(e);
          }
          arrays.add(m.payloadArray());
        });
        // One reused input buffer, overwritten between chunks as a network layer would.
        byte[] chunk = new byte[chunkSize];
        ByteBuffer directChunk = ByteBuffer.allocateDirect(chunkSize);
        for (int off = 0; off < wire.length; off += chunkSize) {
          int n = Math.min(chunkSize, wire.length - off);
          if (direct) {
            directChunk.clear();
            directChunk.put(wire, off, n).flip();
            decoder.feed(directChunk);
            directChunk.clear();
            directChunk.put(new byte[chunkSize]);
          } else {
            System.arraycopy(wire, off, chunk, 0, n);
            decoder.feed(chunk, 0, n);
            Arrays.fill(chunk, (byte) 0xFF);
          }
        }
        assertThat(out).as("chunks of %d, direct %s", chunkSize, direct).hasSize(frames.size());
        for (int k = 0; k < out.size(); k++) {
          assertThat(out.get(k).toByteArray()).as("frame %d, chunks of %d", k, chunkSize)
              .isEqualTo(jpegs.get(k % jpegs.size()));
          for (int j = 0; j < k; j++) {
            assertThat(arrays.get(k)).as("a new array for every message").isNotSameAs(arrays.get(j));
          }
        }
      }
    }
  }

  @Test
  void payloadAsJpegCopiesAPayloadItHasNoWholeArrayFor() throws Exception {
    byte[] padded = new byte[JPEG.length + 10];
    System.arraycopy(JPEG, 0, padded, 5, JPEG.length);
    Message m = Message.frame(1, 2, ByteBuffer.wrap(padded, 5, JPEG.length));
    assertThat(m.payloadArray()).isNull();
    JpegFrame frame = m.payloadAsJpeg();
    padded[5 + 100] ^= 0x5A; // the caller broke its promise; the frame still holds its own copy
    assertThat(frame.toByteArray()).isEqualTo(JPEG);
  }

  @Test
  void payloadAsJpegRejectsAPayloadThatIsNotOneCompleteJpeg() throws Exception {
    byte[] cut = Arrays.copyOf(JPEG, JPEG.length - 1);
    Message m = decodeFrames("whole", MessageEncoder.encode(Message.frame(1, 2, cut))).get(0);
    assertThatThrownBy(m::payloadAsJpeg).isInstanceOf(JpegFormatException.class)
        .hasMessageStartingWith("truncated JPEG");
    Message empty = Message.frame(1, 2, new byte[0]);
    assertThatThrownBy(empty::payloadAsJpeg).isInstanceOf(JpegFormatException.class);
  }

  @Test
  void payloadAsJpegOfAnotherTypeIsAProgrammingError() {
    assertThatThrownBy(() -> Message.ping(new byte[] {1}).payloadAsJpeg())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("not a FRAME: PING");
  }

  @Test
  void anEmptyPayloadIsDeliveredRightAfterItsHeader() throws Exception {
    MessageDecoder decoder = decoder();
    byte[] wire = Hex.bytes("43524c59 01 30 0000 00000000 00000000 0000000000000000");
    decoder.feed(wire, 0, wire.length);
    assertThat(received).containsExactly(Message.ping(new byte[0]));
    assertThat(decoder.midMessage()).isFalse();
  }

  @Test
  void headerFieldsAreReadAsUnsignedBigEndian() throws Exception {
    byte[] wire = Hex.bytes("43524c59 01 10 8001 00000002 fffffffe ffffffffffffffff 0102");
    decoder().feed(wire, 0, wire.length);
    Message m = received.get(0);
    assertThat(m.type()).isEqualTo(MessageType.FRAME);
    assertThat(m.flags()).isEqualTo(0x8001);
    assertThat(m.sequence()).isEqualTo(4294967294L);
    assertThat(Long.toUnsignedString(m.timestampMicros())).isEqualTo("18446744073709551615");
    assertThat(m.payloadBytes()).containsExactly(1, 2);
  }

  @Test
  void invalidArgumentsAreRejected() {
    MessageDecoder decoder = decoder();
    assertThatThrownBy(() -> decoder.feed(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new MessageDecoder(-1, received::add)).isInstanceOf(IllegalArgumentException.class);
  }
}
