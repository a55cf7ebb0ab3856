package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CameraIdTest {
  private static final String WANT = ": want 1..64 characters of A-Z a-z 0-9 . _ - and not \".\" or \"..\"";

  @ParameterizedTest
  @ValueSource(strings = {"a", "default", "Cam_1.front-door", "-", "_", "...", ".cam", "cam.", "a..b", ".a", "a.",
      "0123456789012345678901234567890123456789012345678901234567890123"})
  void acceptsOneToSixtyFourCharactersOfTheAllowedSet(String id) {
    assertThat(CameraId.isValid(id)).isTrue();
    assertThat(CameraId.check(id)).isSameAs(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "cam 1", "cam/1", "cam\\1", "cam:1", "kamera-é", "x\u0000", "a\nb",
      "01234567890123456789012345678901234567890123456789012345678901234"})
  void rejectsEverythingElse(String id) {
    assertThat(CameraId.isValid(id)).isFalse();
    assertThatThrownBy(() -> CameraId.check(id)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid camera id '").hasMessageEndingWith(WANT);
  }

  @Test
  void dotAndDotDotAreRefusedBecauseTheyNameFolders() {
    assertThatThrownBy(() -> CameraId.check("..")).hasMessage("invalid camera id '..'" + WANT);
    assertThatThrownBy(() -> CameraId.check(".")).hasMessage("invalid camera id '.'" + WANT);
  }

  @Test
  void nullIsInvalidAndCheckSaysSoWithAnIllegalArgumentException() {
    assertThat(CameraId.isValid(null)).isFalse();
    assertThatThrownBy(() -> CameraId.check(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid camera id null" + WANT);
  }

  @Test
  void theMessageNamesTheRuleConstant() {
    assertThat(WANT).isEqualTo(": want " + CameraId.RULE);
    assertThat(CameraId.MAX_LENGTH).isEqualTo(64);
  }

  @Test
  void controlCharactersQuotesAndNonAsciiAreEscapedInTheMessage() {
    assertThatThrownBy(() -> CameraId.check("a\r\nb'c\\d é\u20ac"))
        .hasMessage("invalid camera id 'a\\x0D\\x0Ab\\x27c\\x5Cd \\xE9\\u20AC'" + WANT);
  }

  @Test
  void aLongIdShowsOnlyAShortPrefixAndItsLength() {
    String id = "x".repeat(CameraId.SHOWN_CHARACTERS) + "SECRET-TAIL" + "y".repeat(1000);
    assertThatThrownBy(() -> CameraId.check(id))
        .hasMessage("invalid camera id '" + "x".repeat(CameraId.SHOWN_CHARACTERS) + "…' (" + id.length()
            + " characters)" + WANT)
        .message().doesNotContain("SECRET");
  }

  @Test
  void anIdOfExactlyTheShownLengthIsShownWhole() {
    String id = "a b" + "c".repeat(CameraId.SHOWN_CHARACTERS - 3);
    assertThatThrownBy(() -> CameraId.check(id)).hasMessage("invalid camera id '" + id + "'" + WANT);
  }

  @Test
  void helloUsesTheSameRuleAndMessage() {
    assertThatThrownBy(() -> Hello.of("..", "")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid camera id '..'" + WANT);
  }
}
