package dev.camrelay.relay.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Client addresses in logs read as people write them, not as Java's toString() does. */
class AddressesTest {
  @Test
  void ipv4HasNoLeadingSlash() throws Exception {
    assertThat(Addresses.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 44600)))
        .isEqualTo("127.0.0.1:44600");
  }

  @Test
  void ipv6IsShortAndBracketedBeforeThePort() throws Exception {
    assertThat(Addresses.of(new InetSocketAddress(InetAddress.getByName("0:0:0:0:0:0:0:1"), 32962)))
        .isEqualTo("[::1]:32962");
    assertThat(Addresses.ipOf(new InetSocketAddress(InetAddress.getByName("fe80:0:0:0:0:0:0:5"), 1)))
        .isEqualTo("fe80::5");
  }
}
