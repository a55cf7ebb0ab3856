package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WELCOME, CONTROL, BYE and ERROR payloads. */
class PayloadRecordsTest {
  private static Message message(MessageType type, int flags, String payloadHex) {
    return Message.of(type.code(), flags, 0, 0, Hex.bytes(payloadHex));
  }

  @Test
  void welcomeIsVersionFlagsAndMaxPayload() throws Exception {
    Welcome welcome = Welcome.of(1, true, 4 * 1024 * 1024);
    assertThat(Hex.of(welcome.encode())).isEqualTo("010100400000");
    assertThat(welcome.stream()).isTrue();
    assertThat(Welcome.decode(Message.welcome(welcome))).isEqualTo(welcome);
    assertThat(Welcome.of(1, false, 0).stream()).isFalse();
  }

  @Test
  void welcomeReadsU32AndKeepsUnknownFlagsAndIgnoresTrailingBytes() throws Exception {
    Welcome w = Welcome.decode(message(MessageType.WELCOME, 0, "02 81 ffffffff 0102"));
    assertThat(w).isEqualTo(new Welcome(2, 0x81, 0xFFFFFFFFL));
    assertThat(w.stream()).isTrue();
    assertThat(Welcome.decode(Message.welcome(w))).isEqualTo(w);
  }

  @Test
  void aShortOrVersionZeroWelcomeIsAProtocolError() {
    assertThatThrownBy(() -> Welcome.decode(message(MessageType.WELCOME, 0, "01 01 0040")))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
        .hasMessage("WELCOME truncated: maxPayload needs 4 bytes, 2 left");
    assertThatThrownBy(() -> Welcome.decode(message(MessageType.WELCOME, 0, "00 01 00400000")))
        .hasMessage("WELCOME version 0 is invalid (must be at least 1)");
  }

  @Test
  void controlIsRequestIdThenJsonWithTheReplyFlagInTheHeader() throws Exception {
    Message request = Message.control(7, "{\"cmd\":\"quality\",\"value\":12}", false);
    assertThat(request.flags()).isZero();
    assertThat(Hex.of(request.payloadBytes()))
        .isEqualTo("00000007" + Hex.of("{\"cmd\":\"quality\",\"value\":12}".getBytes(StandardCharsets.UTF_8)));
    assertThat(Control.decode(request)).isEqualTo(new Control(7, "{\"cmd\":\"quality\",\"value\":12}", false));

    Message reply = Message.control(4294967295L, "{\"ok\":false,\"error\":\"ünknown\"}", true);
    assertThat(reply.flags()).isEqualTo(Message.FLAG_REPLY);
    assertThat(Control.decode(reply)).isEqualTo(new Control(4294967295L, "{\"ok\":false,\"error\":\"ünknown\"}", true));
  }

  @Test
  void controlMayCarryEmptyText() throws Exception {
    assertThat(Control.decode(message(MessageType.CONTROL, 0, "00000001"))).isEqualTo(new Control(1, "", false));
  }

  @Test
  void aControlShorterThanItsRequestIdIsAProtocolError() {
    assertThatThrownBy(() -> Control.decode(message(MessageType.CONTROL, 0, "000001")))
        .hasMessage("CONTROL truncated: request id needs 4 bytes, 3 left");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
      "c0af,      overlong slash, 0",
      "e08080,    overlong NUL, 0",
      "eda080,    UTF-16 surrogate, 0",
      "f4908080,  above U+10FFFF, 0",
      "e282,      truncated sequence, 0",
      "80,        lone continuation byte, 0",
      "7b2278223ac328, invalid continuation after text, 5",
      "ff,        byte FF, 0",
  })
  void controlJsonMustBeStrictUtf8(String jsonHex, String what, int offset) {
    assertThatThrownBy(() -> Control.decode(message(MessageType.CONTROL, 0, "00000001" + jsonHex)))
        .as(what)
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
        .hasMessage("CONTROL JSON is not valid UTF-8 (malformed byte sequence at offset " + offset + ")");
  }

  @Test
  void fourByteUtf8IsValid() throws Exception {
    assertThat(Control.decode(message(MessageType.CONTROL, 0, "00000001 f09f94a5")).json()).isEqualTo("🔥");
  }

  @Test
  void controlLimitsAreEnforcedWhenBuilding() {
    assertThatThrownBy(() -> new Control(-1, "{}", false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Control(1L << 32, "{}", false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Control(1, "x".repeat(Control.MAX_JSON_BYTES + 1), false))
        .hasMessage("CONTROL JSON is longer than 65532 UTF-8 bytes");
    assertThat(Message.control(1, "x".repeat(Control.MAX_JSON_BYTES), false).payloadLength()).isEqualTo(65536);
  }

  @Test
  void byeAndErrorCarryACodeAndAReason() throws Exception {
    Message bye = Message.bye(ErrorCode.SHUTTING_DOWN, "relay shutting down");
    assertThat(Hex.of(bye.payloadBytes())).isEqualTo("0009" + Hex.of("relay shutting down".getBytes()));
    assertThat(Reason.decode(bye)).isEqualTo(new Reason(9, "relay shutting down"));
    assertThat(Reason.decode(bye).codeName()).isEqualTo("SHUTTING_DOWN");

    Message error = Message.error(ErrorCode.AUTH_FAILED, "");
    assertThat(error.type()).isEqualTo(MessageType.ERROR);
    assertThat(Reason.decode(error)).isEqualTo(new Reason(ErrorCode.AUTH_FAILED, ""));
  }

  @Test
  void unknownCodesAreKept() throws Exception {
    Reason r = Reason.decode(message(MessageType.ERROR, 0, "ffff 6f6f7073"));
    assertThat(r).isEqualTo(new Reason(65535, "oops"));
    assertThat(r.codeName()).isEqualTo("code 65535");
  }

  @Test
  void aReasonShorterThanItsCodeIsAProtocolError() {
    assertThatThrownBy(() -> Reason.decode(message(MessageType.BYE, 0, "00")))
        .hasMessage("BYE truncated: code needs 2 bytes, 1 left");
    assertThatThrownBy(() -> Reason.decode(message(MessageType.ERROR, 0, "0001 c3")))
        .hasMessage("ERROR reason is not valid UTF-8 (malformed byte sequence at offset 0)");
  }

  @Test
  void anErrorForAProtocolExceptionShortensALongMessageAtACharacterBoundary() throws Exception {
    ProtocolException e = new ProtocolException(ErrorCode.BAD_FRAME, "ü".repeat(3000));
    Message m = Message.error(e);
    Reason r = Reason.decode(m);
    assertThat(r.code()).isEqualTo(ErrorCode.BAD_FRAME);
    assertThat(r.reason()).startsWith("üü").endsWith("...");
    assertThat(r.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Reason.MAX_REASON_BYTES);
    assertThat(Reason.decode(Message.error(new ProtocolException(1, "short")))).isEqualTo(new Reason(1, "short"));
  }

  @Test
  void reasonLimitsAreEnforcedWhenBuilding() {
    assertThatThrownBy(() -> new Reason(65536, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Message.bye(0, "x".repeat(4095))).hasMessage("reason is longer than 4094 UTF-8 bytes");
    assertThat(new Reason(0, null).reason()).isEmpty();
  }

  @Test
  void errorCodeNamesMatchTheSpec() {
    assertThat(ErrorCode.name(ErrorCode.NORMAL)).isEqualTo("NORMAL");
    assertThat(ErrorCode.name(ErrorCode.PROTOCOL_ERROR)).isEqualTo("PROTOCOL_ERROR");
    assertThat(ErrorCode.name(ErrorCode.UNSUPPORTED)).isEqualTo("UNSUPPORTED");
    assertThat(ErrorCode.name(ErrorCode.AUTH_FAILED)).isEqualTo("AUTH_FAILED");
    assertThat(ErrorCode.name(ErrorCode.TOO_LARGE)).isEqualTo("TOO_LARGE");
    assertThat(ErrorCode.name(ErrorCode.TIMEOUT)).isEqualTo("TIMEOUT");
    assertThat(ErrorCode.name(ErrorCode.BAD_FRAME)).isEqualTo("BAD_FRAME");
    assertThat(ErrorCode.name(ErrorCode.CONTROL_UNSUPPORTED)).isEqualTo("CONTROL_UNSUPPORTED");
    assertThat(ErrorCode.name(ErrorCode.RATE_LIMITED)).isEqualTo("RATE_LIMITED");
    assertThat(ErrorCode.name(ErrorCode.SHUTTING_DOWN)).isEqualTo("SHUTTING_DOWN");
    assertThat(ErrorCode.name(ErrorCode.REPLACED)).isEqualTo("REPLACED");
    assertThat(ErrorCode.name(11)).isEqualTo("code 11");
  }
}
