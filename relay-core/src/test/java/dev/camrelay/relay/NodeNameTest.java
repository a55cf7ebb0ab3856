package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeNameTest {
  @Test
  void aRelayHasTheNodeNameItWasGivenOrItsHostsByDefault() {
    try (CameraRelay named = CameraRelay.builder().nodeName("loft-1").build();
        CameraRelay unnamed = CameraRelay.builder().build();
        CameraRelay nulled = CameraRelay.builder().nodeName(null).build()) {
      assertThat(named.nodeName()).isEqualTo("loft-1");
      assertThat(unnamed.nodeName()).matches("[A-Za-z0-9_-]{1,64}");
      assertThat(nulled.nodeName()).isEqualTo(unnamed.nodeName());
    }
  }

  @Test
  void aNodeNameThatCannotBeASubjectTokenIsRefusedNamingTheSetting() {
    for (String bad : new String[] {"", "a.b", "with space", "x".repeat(65), "star*"}) {
      assertThatThrownBy(() -> CameraRelay.builder().nodeName(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nodeName");
    }
  }
}
