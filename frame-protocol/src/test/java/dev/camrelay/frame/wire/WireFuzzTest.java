package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Jazzer fuzz tests. In CI they run in regression mode over the committed corpus in
 * {@code src/test/resources/dev/camrelay/frame/wire/WireFuzzTestInputs/<method>/}; fuzz for real with
 * {@code JAZZER_FUZZ=1 mvn -pl frame-protocol test -Dtest=WireFuzzTest#<method>}.
 *
 * <p>Properties: nothing but {@link ProtocolException} escapes a decoder; no delivered payload exceeds the maximum;
 * how the bytes are cut into chunks never changes the outcome; whatever decodes re-encodes to the same value.
 */
class WireFuzzTest {
  private static final int MAX_PAYLOAD = 1024;

  /** Input: byte 0 seeds the chunking, the rest is the stream. */
  @FuzzTest(maxDuration = "60s")
  void messageDecoder(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);
    Outcome whole = decode(stream, null);
    Outcome chunked = decode(stream, new Random(input[0]));
    assertThat(chunked.messages).isEqualTo(whole.messages);
    assertThat(chunked.errorCode).isEqualTo(whole.errorCode);
    assertThat(chunked.errorMessage).isEqualTo(whole.errorMessage);
    for (Message m : whole.messages) {
      assertThat(m.payloadLength()).isLessThanOrEqualTo(MAX_PAYLOAD);
      assertThat(m.type()).isNotNull();
      decodePayloadAndRoundTrip(m);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void helloDecoder(byte[] payload) {
    Message m = message(MessageType.HELLO, 0, payload);
    Hello hello;
    try {
      hello = Hello.decode(m);
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      return;
    }
    assertThat(CameraId.isValid(hello.cameraId())).isTrue();
    assertThat(roundTrip(hello)).isEqualTo(hello);
    if (hello.token().length() >= 6 && !hello.firmware().contains(hello.token())
        && !hello.cameraId().contains(hello.token())) {
      assertThat(hello.toString()).doesNotContain(hello.token());
    }
  }

  @FuzzTest(maxDuration = "30s")
  void helloDecoderErrorsNeverShowTheToken(byte[] tokenBytes) {
    // A valid prefix, then a token of arbitrary bytes and a firmware field that may be broken.
    byte[] token = Arrays.copyOf(tokenBytes, Math.min(tokenBytes.length, 255));
    byte[] payload = new byte[1 + 4 + 1 + 4 + 1 + token.length + 1];
    payload[0] = 1;
    payload[5] = 4;
    System.arraycopy("cam1".getBytes(), 0, payload, 6, 4);
    payload[10] = (byte) token.length;
    System.arraycopy(token, 0, payload, 11, token.length);
    payload[payload.length - 1] = (byte) (tokenBytes.length % 3 == 0 ? 5 : 0); // sometimes a truncated firmware
    try {
      Hello.decode(message(MessageType.HELLO, 0, payload));
    } catch (ProtocolException e) {
      String text = new String(token, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (token.length >= 6 && !"HELLO firmware truncated".contains(text)) {
        assertThat(e.getMessage()).doesNotContain(text);
        assertThat(e.getMessage()).doesNotContain(new String(token, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void welcomeDecoder(byte[] payload) {
    try {
      Welcome w = Welcome.decode(message(MessageType.WELCOME, 0, payload));
      assertThat(Welcome.decode(Message.welcome(w))).isEqualTo(w);
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void controlDecoder(byte[] payload) {
    int flags = payload.length > 0 && (payload[0] & 1) != 0 ? Message.FLAG_REPLY : 0;
    try {
      Control c = Control.decode(message(MessageType.CONTROL, flags, payload));
      assertThat(Control.decode(Message.control(c))).isEqualTo(c);
      assertThat(c.encode()).isEqualTo(Arrays.copyOf(payload, Math.min(payload.length, 65536)));
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void reasonDecoder(byte[] payload) {
    MessageType type = payload.length > 0 && (payload[0] & 1) != 0 ? MessageType.BYE : MessageType.ERROR;
    try {
      Reason r = Reason.decode(message(type, 0, payload));
      assertThat(Reason.decode(Message.bye(r.code(), r.reason()))).isEqualTo(r);
      assertThat(r.encode()).isEqualTo(Arrays.copyOf(payload, Math.min(payload.length, 4096)));
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }
  }

  private static Message message(MessageType type, int flags, byte[] payload) {
    byte[] p = payload.length > type.maxPayload() ? Arrays.copyOf(payload, type.maxPayload()) : payload;
    return Message.of(type.code(), flags, 0, 0, p);
  }

  private static Hello roundTrip(Hello hello) {
    try {
      return Hello.decode(Message.hello(hello));
    } catch (ProtocolException e) {
      throw new AssertionError("re-encoded HELLO does not decode: " + e.getMessage(), e);
    }
  }

  private static void decodePayloadAndRoundTrip(Message m) {
    try {
      switch (m.type()) {
        case HELLO -> roundTrip(Hello.decode(m));
        case WELCOME -> {
          Welcome w = Welcome.decode(m);
          assertThat(Welcome.decode(Message.welcome(w))).isEqualTo(w);
        }
        case CONTROL -> {
          Control c = Control.decode(m);
          assertThat(Message.control(c)).isEqualTo(Message.of(m.typeCode(), m.flags() & Message.FLAG_REPLY, 0, 0,
              m.payload()));
        }
        case BYE, ERROR -> {
          Reason r = Reason.decode(m);
          assertThat(r.encode()).isEqualTo(m.payloadBytes());
        }
        default -> assertThat(MessageEncoder.encode(m)).hasSize(Message.HEADER_LENGTH + m.payloadLength());
      }
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }
  }

  private record Outcome(List<Message> messages, Integer errorCode, String errorMessage) {}

  /** Decodes {@code stream} whole ({@code cuts == null}) or in random chunks; only ProtocolException may escape. */
  private static Outcome decode(byte[] stream, Random cuts) {
    List<Message> out = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(MAX_PAYLOAD, out::add);
    try {
      if (cuts == null) {
        decoder.feed(stream, 0, stream.length);
      } else {
        int off = 0;
        while (off < stream.length) {
          int n = Math.min(stream.length - off, cuts.nextInt(40));
          decoder.feed(stream, off, n);
          off += n;
        }
      }
      decoder.endOfStream();
      return new Outcome(out, null, null);
    } catch (ProtocolException e) {
      return new Outcome(out, e.code(), e.getMessage());
    }
  }
}
