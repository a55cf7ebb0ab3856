package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageEncoderTest {
  private static final byte[] JPEG = TestJpegs.jpeg(16, 16, 3);

  @Test
  void theHeaderIsTwentyFourBigEndianBytes() {
    Message m = Message.frame(0xFFFFFFFFL, 0x0102030405060708L, new byte[] {(byte) 0xFF, (byte) 0xD8, 0});
    assertThat(Hex.of(MessageEncoder.header(m).array()))
        .isEqualTo("43524c59" + "01" + "10" + "0000" + "00000003" + "ffffffff" + "0102030405060708");
    assertThat(Hex.of(MessageEncoder.encode(m)))
        .isEqualTo("43524c5901100000" + "00000003ffffffff" + "0102030405060708" + "ffd800");
  }

  @Test
  void headerThenPayloadBufferEqualsTheWholeEncoding() {
    Message m = Message.frame(1, 2, JPEG);
    ByteBuffer header = MessageEncoder.header(m);
    assertThat(header.position()).isZero();
    assertThat(header.remaining()).isEqualTo(Message.HEADER_LENGTH);
    ByteBuffer both = ByteBuffer.allocate(header.remaining() + m.payloadLength()).put(header).put(m.payload());
    assertThat(both.array()).isEqualTo(MessageEncoder.encode(m));

    byte[] into = new byte[30];
    MessageEncoder.writeHeader(m, into, 6);
    assertThat(ByteBuffer.wrap(into, 6, 24)).isEqualTo(MessageEncoder.header(m));
  }

  @Test
  void writeSendsHeaderAndPayloadForArrayAndDirectBufferPayloads() throws Exception {
    ByteBuffer direct = ByteBuffer.allocateDirect(JPEG.length).put(JPEG).flip();
    for (Message m : new Message[] {Message.frame(5, 6, JPEG), Message.frame(5, 6, direct.asReadOnlyBuffer()),
        Message.frame(5, 6, ByteBuffer.wrap(JPEG))}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MessageEncoder.write(m, out);
      assertThat(out.toByteArray()).isEqualTo(MessageEncoder.encode(Message.frame(5, 6, JPEG)));
    }
    assertThat(direct.position()).as("the caller's buffer is untouched").isZero();
  }

  @Test
  void aFrameOverAByteBufferUsesItsRemainingBytes() throws Exception {
    ByteBuffer buf = ByteBuffer.allocate(JPEG.length + 8);
    buf.position(3);
    buf.put(JPEG);
    buf.flip().position(3);
    Message m = Message.frame(1, 1, buf);
    assertThat(buf.position()).isEqualTo(3);
    assertThat(m.payloadBytes()).isEqualTo(JPEG);
    assertThat(m).isEqualTo(Message.frame(1, 1, JPEG));
  }

  @Test
  void aFrameOfAJpegFrameCarriesItsBytesWithoutCopyingThem() throws Exception {
    JpegFrame jpeg = JpegFrame.parse(JPEG.clone());
    Message m = Message.frame(9, 10, jpeg);
    assertThat(m).isEqualTo(Message.frame(9, 10, JPEG));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageEncoder.write(m, out);
    assertThat(out.toByteArray()).isEqualTo(MessageEncoder.encode(Message.frame(9, 10, JPEG)));

    // What a relay does with a received FRAME: the decoded payload parses as the same JPEG.
    List<Message> got = GoldenVectorsTest.decodeAll(out.toByteArray(), MessageDecoder.DEFAULT_MAX_PAYLOAD);
    assertThat(JpegFrame.parse(got.get(0).payloadBytes())).isEqualTo(jpeg);
  }

  @Test
  void pongForEchoesThePingBytes() {
    Message ping = Message.ping(new byte[] {1, 2, 3});
    assertThat(Message.pongFor(ping)).isEqualTo(Message.pong(new byte[] {1, 2, 3}));
    assertThat(Message.pongFor(ping).type()).isEqualTo(MessageType.PONG);
    assertThatThrownBy(() -> Message.pongFor(Message.pong(new byte[0]))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pingCopiesItsBytes() {
    byte[] data = {1, 2};
    Message ping = Message.ping(data);
    data[0] = 9;
    assertThat(ping.payloadBytes()).containsExactly(1, 2);
  }

  @Test
  void factoriesEnforceFieldSizesAndTypeLimits() {
    assertThatThrownBy(() -> Message.frame(1L << 32, 0, JPEG)).hasMessage("sequence 4294967296 does not fit in u32");
    assertThatThrownBy(() -> Message.frame(-1, 0, JPEG)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Message.ping(new byte[65])).hasMessage("PING payload length 65 exceeds the maximum 64");
    assertThatThrownBy(() -> Message.of(256, 0, 0, 0, new byte[0])).hasMessage("type code 256 does not fit in u8");
    assertThatThrownBy(() -> Message.of(0x10, 0x10000, 0, 0, new byte[0])).hasMessage("flags 65536 do not fit in u16");
    assertThat(Message.ping(new byte[64]).payloadLength()).isEqualTo(64);
  }

  @Test
  void messagesAreValuesAndToStringShowsNoPayload() {
    Message m = Message.hello(new Hello(1, 0, "cam1", "hunter2", ""));
    assertThat(m).isEqualTo(Message.hello(new Hello(1, 0, "cam1", "hunter2", "")));
    assertThat(m.hashCode()).isEqualTo(Message.hello(new Hello(1, 0, "cam1", "hunter2", "")).hashCode());
    assertThat(m).isNotEqualTo(Message.hello(new Hello(1, 0, "cam1", "hunter3", "")));
    assertThat(m.toString()).isEqualTo("HELLO(seq=0, ts=0us, flags=0x0000, 19 bytes)").doesNotContain("hunter2");
    assertThat(Message.of(0x7E, 0, 1, -1, new byte[2]).toString())
        .isEqualTo("type 0x7E(seq=1, ts=18446744073709551615us, flags=0x0000, 2 bytes)");
  }

  @Test
  void typeCodesAreTheSpecs() {
    assertThat(MessageType.HELLO.code()).isEqualTo(0x01);
    assertThat(MessageType.WELCOME.code()).isEqualTo(0x02);
    assertThat(MessageType.FRAME.code()).isEqualTo(0x10);
    assertThat(MessageType.CONTROL.code()).isEqualTo(0x20);
    assertThat(MessageType.PING.code()).isEqualTo(0x30);
    assertThat(MessageType.PONG.code()).isEqualTo(0x31);
    assertThat(MessageType.BYE.code()).isEqualTo(0x40);
    assertThat(MessageType.ERROR.code()).isEqualTo(0x41);
    for (MessageType t : MessageType.values()) {
      assertThat(MessageType.fromCode(t.code())).isSameAs(t);
    }
    assertThat(MessageType.fromCode(0x7E)).isNull();
    assertThat(MessageType.fromCode(-1)).isNull();
    assertThat(MessageType.fromCode(256)).isNull();
  }
}
