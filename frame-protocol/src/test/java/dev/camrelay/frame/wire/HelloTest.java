package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelloTest {
  private static final String TOKEN = "tok-Zq81-very-secret";

  private static Message hello(String payloadHex) {
    return Message.of(MessageType.HELLO.code(), 0, 0, 0, Hex.bytes(payloadHex));
  }

  @Test
  void encodesEveryFieldWithItsLengthPrefix() {
    Hello hello = new Hello(1, Hello.ON_DEMAND | Hello.CONTROL, "cam1", "tok", "fw");
    assertThat(Hex.of(hello.encode())).isEqualTo(
        "01" + "00000003" + "04" + "63616d31" + "03" + "746f6b" + "02" + "6677");
  }

  @Test
  void roundTripsNonAsciiTokenAndFirmware() throws Exception {
    Hello hello = new Hello(3, 0xFFFFFFFF, "A-z_0.9", "päßwörd🔑", "Firmware ✓ 1.0");
    Hello decoded = Hello.decode(Message.hello(hello));
    assertThat(decoded).isEqualTo(hello);
    assertThat(decoded.capabilities()).isEqualTo(0xFFFFFFFF);
  }

  @Test
  void absentTokenAndFirmwareAreEmpty() throws Exception {
    Hello hello = Hello.of("cam1", null);
    assertThat(hello.token()).isEmpty();
    assertThat(hello.hasToken()).isFalse();
    assertThat(hello.tokenOrNull()).isNull();
    assertThat(Hello.decode(Message.hello(hello))).isEqualTo(hello);
    assertThat(Hello.of("cam1", "t").tokenOrNull()).isEqualTo("t");
  }

  @Test
  void capabilitiesAreReadableBits() {
    Hello both = new Hello(1, Hello.ON_DEMAND | Hello.CONTROL, "c", "", "");
    assertThat(both.onDemand()).isTrue();
    assertThat(both.acceptsControl()).isTrue();
    Hello none = Hello.of("c", "");
    assertThat(none.onDemand()).isFalse();
    assertThat(none.acceptsControl()).isFalse();
  }

  @Test
  void trailingExtensionBytesAreIgnored() throws Exception {
    Hello decoded = Hello.decode(hello("02 00000001 04 63616d31 00 00 deadbeef"));
    assertThat(decoded).isEqualTo(new Hello(2, Hello.ON_DEMAND, "cam1", "", ""));
  }

  @Test
  void toStringNeverShowsTheToken() {
    Hello hello = new Hello(1, Hello.CONTROL, "cam1", TOKEN, "fw");
    assertThat(hello.toString())
        .doesNotContain(TOKEN)
        .isEqualTo("Hello[maxVersion=1, capabilities=CONTROL, cameraId=cam1, token=<set>, firmware=fw]");
    assertThat(Hello.of("cam1", "").toString()).contains("token=<none>");
    assertThat(Message.hello(hello).toString()).doesNotContain(TOKEN);
  }

  @Test
  void invalidUtf8InTheTokenIsReportedWithoutTheToken() {
    // token "secr" + an overlong '/' (C0 AF) + "et"
    Message m = hello("01 00000000 04 63616d31 08 73656372c0af6574 00");
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> Hello.decode(m));
    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e).hasMessage("HELLO token is not valid UTF-8 (malformed byte sequence at offset 4)");
    assertThat(e.getMessage()).doesNotContain("secr").doesNotContain("et (");
  }

  @Test
  void aTruncatedTokenIsReportedWithoutTheToken() {
    Message m = hello("01 00000000 04 63616d31 20 7365637265742d746f6b656e");
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> Hello.decode(m));
    assertThat(e).hasMessage("HELLO truncated: token needs 32 bytes, 12 left");
  }

  @Test
  void constructorErrorsNeverShowTheToken() {
    String longToken = "x".repeat(256);
    assertThatThrownBy(() -> Hello.of("cam1", longToken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token is longer than 255 UTF-8 bytes");
    assertThatThrownBy(() -> Hello.of("cam1", "ab\uD800cd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token has no UTF-8 form (unpaired surrogate)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "default", "Cam_1.front-door", "0123456789012345678901234567890123456789012345678901234567890123"})
  void acceptsCameraIdsOfTheAllowedCharacters(String id) throws Exception {
    assertThat(CameraId.isValid(id)).isTrue();
    assertThat(Hello.decode(Message.hello(Hello.of(id, ""))).cameraId()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "cam 1", "cam/1", "cam:1", "kamera-é", "x\u0000", "01234567890123456789012345678901234567890123456789012345678901234"})
  void rejectsOtherCameraIds(String id) {
    assertThat(CameraId.isValid(id)).isFalse();
    assertThatThrownBy(() -> Hello.of(id, "")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid camera id");
  }

  @Test
  void anInvalidCameraIdOnTheWireIsShownEscaped() {
    Message m = hello("01 00000000 07 63616dc3a92209 00 00");
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> Hello.decode(m));
    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e).hasMessage("invalid camera id 'cam\\xC3\\xA9\"\\x09': want " + CameraId.RULE);
  }

  @Test
  void anEmptyCameraIdIsInvalid() {
    assertThatThrownBy(() -> Hello.decode(hello("01 00000000 00 00 00")))
        .hasMessage("invalid camera id '': want " + CameraId.RULE);
  }

  @Test
  void dotDotAsCameraIdOnTheWireIsAProtocolError() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> Hello.decode(hello("01 00000000 02 2e2e 00 00")));
    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e).hasMessage("invalid camera id '..': want 1..64 characters of A-Z a-z 0-9 . _ - and not \".\" or \"..\"");
  }

  @Test
  void aSixtyFiveByteCameraIdOnTheWireShowsOnlyItsStart() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> Hello.decode(hello("01 00000000 41 " + "61".repeat(65) + " 00 00")));
    assertThat(e).hasMessage("invalid camera id '" + "a".repeat(24) + "…' (65 characters): want " + CameraId.RULE);
  }

  @Test
  void maxVersionZeroIsInvalid() {
    assertThatThrownBy(() -> Hello.decode(hello("00 00000000 01 61 00 00")))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
        .hasMessage("HELLO maxVersion 0 is invalid (must be at least 1)");
  }

  @Test
  void everyTruncationPointIsAProtocolErrorNamingTheField() {
    byte[] full = new Hello(1, 0, "cam1", "tok", "fw").encode();
    String[] fields = {"maxVersion", "capabilities", "capabilities", "capabilities", "capabilities",
        "camera id length", "camera id", "camera id", "camera id", "camera id", "token length", "token", "token",
        "token", "firmware length", "firmware", "firmware"};
    for (int n = 0; n < full.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(full, n);
      Message m = Message.of(MessageType.HELLO.code(), 0, 0, 0, cut);
      ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> Hello.decode(m));
      assertThat(e).as("cut at %d", n).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(e.getMessage()).startsWith("HELLO truncated: " + fields[n] + " needs ");
    }
  }

  @Test
  void decodingAnotherTypeIsAProgrammingError() {
    assertThatThrownBy(() -> Hello.decode(Message.ping(new byte[0]))).isInstanceOf(IllegalArgumentException.class);
  }
}
