package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostAddressesTest {
  @Test
  void wildcardBindOffersLocalhostFirstThenLanAddresses() {
    assertThat(HostAddresses.forBind("0.0.0.0")).first().isEqualTo("localhost");
    assertThat(HostAddresses.forBind("0.0.0.0")).containsAll(HostAddresses.lanAddresses());
    assertThat(HostAddresses.lanAddresses()).noneMatch(a -> a.startsWith("127.") || a.startsWith("169.254."));
  }

  @Test
  void loopbackBindIsLocalhostAndOtherAddressesAreThemselves() {
    assertThat(HostAddresses.forBind("127.0.0.1")).containsExactly("localhost");
    assertThat(HostAddresses.forBind("::1")).containsExactly("localhost");
    assertThat(HostAddresses.forBind("192.168.1.20")).containsExactly("192.168.1.20");
    assertThat(HostAddresses.forBind("fe80::1")).containsExactly("[fe80::1]");
    assertThat(HostAddresses.forBind("[fe80:0:0:0:0:0:0:1]")).containsExactly("[fe80::1]");
  }

  @Test
  void everySpellingOfTheAnyAddressIsAWildcard() {
    assertThat(java.util.List.of("", "*", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"))
        .allMatch(HostAddresses::isWildcard);
    assertThat(java.util.List.of("127.0.0.1", "::1", "camera.local")).noneMatch(HostAddresses::isWildcard);
  }
}
