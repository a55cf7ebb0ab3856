package dev.camrelay.relay.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throttling rule itself; AuthThrottleTest shows it on every port over real sockets. */
class AuthFailuresTest {
  private final AuthFailures failures = new AuthFailures(3, Duration.ofSeconds(100), Duration.ofSeconds(350));

  @Test
  void theBurstIsAllowedThenEachWrongTokenDoublesTheRefusalUpToTheCap() throws Exception {
    InetAddress guesser = InetAddress.getByName("192.0.2.7");
    failures.failed(guesser);
    failures.failed(guesser);
    assertThat(failures.refusedForSeconds(guesser)).isZero();
    failures.failed(guesser);
    assertThat(failures.refusedForSeconds(guesser)).isBetween(90L, 100L);
    failures.failed(guesser); // one that was in flight when the refusal began
    assertThat(failures.refusedForSeconds(guesser)).isBetween(190L, 200L);
    failures.failed(guesser);
    assertThat(failures.refusedForSeconds(guesser)).isBetween(340L, 350L);
    failures.failed(guesser);
    assertThat(failures.refusedForSeconds(guesser)).isBetween(340L, 350L);
    assertThat(failures.failures()).isEqualTo(6);
    assertThat(failures.throttled()).isEqualTo(4);
  }

  @Test
  void oneAddressNeverAffectsAnotherButAnIpv6HostsWholeSlash64IsOneAddress() throws Exception {
    for (int i = 0; i < 3; i++) {
      failures.failed(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2::" + (i + 1)), 40_000 + i));
    }
    assertThat(failures.refusedForSeconds(InetAddress.getByName("2001:db8:1:2:ffff::9"))).isPositive();
    assertThat(failures.refusedForSeconds(InetAddress.getByName("2001:db8:1:3::1"))).isZero();
    assertThat(failures.refusedForSeconds(InetAddress.getByName("192.0.2.7"))).isZero();
  }

  @Test
  void aClientWithoutAnIpAddressIsCountedButNeverRefused() {
    failures.failed((InetAddress) null);
    assertThat(failures.refusedForSeconds((InetAddress) null)).isZero();
    assertThat(failures.failures()).isEqualTo(1);
  }

  @Test
  void manyAddressesCannotGrowTheTableBeyondItsBound() throws Exception {
    byte[] ip = {10, 0, 0, 0};
    for (int i = 0; i < 2 * AuthFailures.MAX_ADDRESSES; i++) {
      ip[2] = (byte) (i >> 8);
      ip[3] = (byte) i;
      failures.failed(InetAddress.getByAddress(ip));
    }
    assertThat(failures.tracked()).isLessThanOrEqualTo(AuthFailures.MAX_ADDRESSES);
  }
}
