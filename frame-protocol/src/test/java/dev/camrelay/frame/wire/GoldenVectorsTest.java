package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every golden vector in {@code frame-protocol/golden} (shared with the firmware's C++ tests) decodes as the
 * manifest says, in one chunk and one byte at a time, and the valid ones re-encode to exactly the same bytes.
 */
class GoldenVectorsTest {
  /** Maven runs tests in the module directory; an IDE may run them from the repository root. */
  static final Path GOLDEN = Files.isDirectory(Path.of("golden")) ? Path.of("golden") : Path.of("frame-protocol", "golden");

  @SuppressWarnings("unchecked")
  static Map<String, Object> manifest() throws IOException {
    return (Map<String, Object>) MiniJson.parse(Files.readString(GOLDEN.resolve("manifest.json")));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> vectors() throws IOException {
    return (List<Map<String, Object>>) manifest().get("vectors");
  }

  static byte[] bytesOf(Map<String, Object> vector) throws IOException {
    return Hex.bytes(Files.readString(GOLDEN.resolve((String) vector.get("file")), StandardCharsets.US_ASCII));
  }

  @Test
  void manifestCoversEveryHexFileAndEveryMessageType() throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(GOLDEN)) {
      s.filter(p -> p.toString().endsWith(".hex")).forEach(p -> files.add(p.getFileName().toString()));
    }
    assertThat(vectors()).extracting(v -> v.get("file")).containsExactlyInAnyOrderElementsOf(files);
    List<Object> types = new ArrayList<>();
    for (Map<String, Object> v : vectors()) {
      Map<String, Object> expected = map(v.get("expected"));
      if (expected.containsKey("messages")) {
        list(expected.get("messages")).forEach(m -> types.add(map(m).get("type")));
      }
    }
    for (MessageType t : MessageType.values()) {
      assertThat(types).as("a vector with a %s message", t).contains(t.name());
    }
    assertThat(manifest().get("maxPayload")).isEqualTo((long) MessageDecoder.DEFAULT_MAX_PAYLOAD);
  }

  @Test
  void frameVectorCarriesARealDecodableJpeg() throws IOException {
    Map<String, Object> vector = vectors().stream().filter(v -> v.get("name").equals("frame-tiny-jpeg")).findFirst()
        .orElseThrow();
    List<Message> messages = decodeAll(bytesOf(vector), 1 << 20);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(messages.get(0).payloadBytes()));
    assertThat(image.getWidth()).isEqualTo(8);
    assertThat(image.getHeight()).isEqualTo(8);
  }

  @TestFactory
  Stream<DynamicTest> everyVectorDecodesAsTheManifestSays() throws IOException {
    int maxPayload = ((Long) manifest().get("maxPayload")).intValue();
    return vectors().stream().map(v -> DynamicTest.dynamicTest((String) v.get("name"), () -> {
      byte[] wire = bytesOf(v);
      Map<String, Object> expected = map(v.get("expected"));
      if (expected.containsKey("error")) {
        checkError(wire, expected, maxPayload);
      } else {
        checkValid(wire, expected, maxPayload);
      }
    }));
  }

  private static void checkValid(byte[] wire, Map<String, Object> expected, int maxPayload) throws Exception {
    List<Map<String, Object>> all = new ArrayList<>();
    list(expected.get("messages")).forEach(m -> all.add(map(m)));
    List<Map<String, Object>> delivered = all.stream().filter(m -> !Boolean.TRUE.equals(m.get("skipped"))).toList();

    List<Message> whole = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(maxPayload, whole::add);
    decoder.feed(wire, 0, wire.length);
    assertThat(decoder.midMessage()).isFalse();
    decoder.endOfStream();
    assertThat(decoder.unknownSkipped()).isEqualTo((Long) expected.get("skipped"));
    assertThat(whole).hasSize(delivered.size());
    assertThat(decodeByteByByte(wire, maxPayload)).containsExactlyElementsOf(whole);

    ByteArrayOutputStream reencoded = new ByteArrayOutputStream();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    int next = 0;
    for (Map<String, Object> e : all) {
      Message built = build(e);
      reencoded.writeBytes(MessageEncoder.encode(built));
      MessageEncoder.write(built, written);
      if (!Boolean.TRUE.equals(e.get("skipped"))) {
        Message m = whole.get(next++);
        checkMessage(m, e);
        assertThat(m).isEqualTo(built);
      }
    }
    assertThat(Hex.of(reencoded.toByteArray())).isEqualTo(Hex.of(wire));
    assertThat(Hex.of(written.toByteArray())).isEqualTo(Hex.of(wire));
  }

  private static void checkMessage(Message m, Map<String, Object> e) throws ProtocolException {
    assertThat(m.type().name()).isEqualTo(e.get("type"));
    assertThat((long) m.typeCode()).isEqualTo(e.get("typeCode"));
    assertThat((long) m.flags()).isEqualTo(e.get("flags"));
    assertThat(m.sequence()).isEqualTo(e.get("sequence"));
    assertThat(m.timestampMicros()).isEqualTo(e.get("timestamp"));
    assertThat((long) m.payloadLength()).isEqualTo(e.get("payloadLength"));
    if (e.containsKey("payloadHex")) {
      assertThat(Hex.of(m.payloadBytes())).isEqualTo(e.get("payloadHex"));
    }
    switch (m.type()) {
      case HELLO -> assertThat(Hello.decode(m)).isEqualTo(hello(map(e.get("hello"))));
      case WELCOME -> assertThat(Welcome.decode(m)).isEqualTo(welcome(map(e.get("welcome"))));
      case CONTROL -> assertThat(Control.decode(m)).isEqualTo(control(map(e.get("control"))));
      case BYE, ERROR -> assertThat(Reason.decode(m)).isEqualTo(reason(map(e.get("reason"))));
      default -> { }
    }
  }

  /** The message as a sender would build it from the manifest's fields (never from the vector's bytes). */
  private static Message build(Map<String, Object> e) {
    if (Boolean.TRUE.equals(e.get("skipped"))) {
      return Message.of(((Long) e.get("typeCode")).intValue(), ((Long) e.get("flags")).intValue(),
          (Long) e.get("sequence"), (Long) e.get("timestamp"), Hex.bytes((String) e.get("payloadHex")));
    }
    MessageType type = MessageType.valueOf((String) e.get("type"));
    return switch (type) {
      case HELLO -> {
        Hello hello = hello(map(e.get("hello")));
        if (e.containsKey("trailingHex")) {
          byte[] trailing = Hex.bytes((String) e.get("trailingHex"));
          byte[] fields = hello.encode();
          ByteBuffer payload = ByteBuffer.allocate(fields.length + trailing.length).put(fields).put(trailing);
          yield Message.of(MessageType.HELLO.code(), 0, 0, 0, payload.array());
        }
        yield Message.hello(hello);
      }
      case WELCOME -> Message.welcome(welcome(map(e.get("welcome"))));
      case FRAME -> Message.frame((Long) e.get("sequence"), (Long) e.get("timestamp"),
          Hex.bytes((String) e.get("payloadHex")));
      case CONTROL -> Message.control(control(map(e.get("control"))));
      case PING -> Message.ping(Hex.bytes((String) e.get("payloadHex")));
      case PONG -> Message.pong(Hex.bytes((String) e.get("payloadHex")));
      case BYE -> Message.bye(reason(map(e.get("reason"))).code(), reason(map(e.get("reason"))).reason());
      case ERROR -> Message.error(reason(map(e.get("reason"))).code(), reason(map(e.get("reason"))).reason());
    };
  }

  private static void checkError(byte[] wire, Map<String, Object> expected, int maxPayload) throws Exception {
    int code = ((Long) expected.get("error")).intValue();
    assertThat(ErrorCode.name(code)).isEqualTo(expected.get("errorName"));
    String message = (String) expected.get("message");
    if (expected.get("stage").equals("decoder")) {
      for (boolean byteByByte : new boolean[] {false, true}) {
        List<Message> got = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(maxPayload, got::add);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> {
          if (byteByByte) {
            for (int i = 0; i < wire.length; i++) {
              decoder.feed(wire, i, 1);
            }
          } else {
            decoder.feed(wire, 0, wire.length);
          }
        });
        assertThat(e).as("decoding fails").isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(got).isEmpty();
        assertThatThrownBy(() -> decoder.feed(new byte[1], 0, 1)).isInstanceOf(ProtocolException.class);
      }
    } else {
      List<Message> got = decodeAll(wire, maxPayload);
      assertThat(got).hasSize(1);
      Message m = got.get(0);
      assertThatThrownBy(() -> decodePayload(m))
          .isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
          });
    }
  }

  private static void decodePayload(Message m) throws ProtocolException {
    switch (m.type()) {
      case HELLO -> Hello.decode(m);
      case WELCOME -> Welcome.decode(m);
      case CONTROL -> Control.decode(m);
      case BYE, ERROR -> Reason.decode(m);
      default -> throw new AssertionError("no payload decoder for " + m);
    }
  }

  static List<Message> decodeAll(byte[] wire, int maxPayload) throws ProtocolException {
    List<Message> got = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(maxPayload, got::add);
    decoder.feed(wire, 0, wire.length);
    decoder.endOfStream();
    return got;
  }

  private static List<Message> decodeByteByByte(byte[] wire, int maxPayload) throws ProtocolException {
    List<Message> got = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(maxPayload, got::add);
    for (int i = 0; i < wire.length; i++) {
      decoder.feed(wire, i, 1);
    }
    decoder.endOfStream();
    return got;
  }

  private static Hello hello(Map<String, Object> f) {
    return new Hello(((Long) f.get("maxVersion")).intValue(), ((Long) f.get("capabilities")).intValue(),
        (String) f.get("cameraId"), (String) f.get("token"), (String) f.get("firmware"));
  }

  private static Welcome welcome(Map<String, Object> f) {
    return new Welcome(((Long) f.get("version")).intValue(), ((Long) f.get("flags")).intValue(),
        (Long) f.get("maxPayload"));
  }

  private static Control control(Map<String, Object> f) {
    return new Control((Long) f.get("requestId"), (String) f.get("json"), (Boolean) f.get("reply"));
  }

  private static Reason reason(Map<String, Object> f) {
    return new Reason(((Long) f.get("code")).intValue(), (String) f.get("reason"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
