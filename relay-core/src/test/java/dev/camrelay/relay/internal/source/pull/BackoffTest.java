package dev.camrelay.relay.internal.source.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void ceilingDoublesFromHalfASecondUpToThirtySeconds() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(1));
    long[] ceilings = new long[10];
    for (int i = 0; i < ceilings.length; i++) {
      ceilings[i] = backoff.ceilingMillis();
      backoff.next();
    }
    assertThat(ceilings).containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000);
  }

  @Test
  void delaysAreJitteredAcrossTheWholeRangeButNeverAboveTheCeiling() {
    Random random = new Random(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int run = 0; run < 2000; run++) {
      Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), random);
      for (int i = 0; i < 8; i++) {
        backoff.next();
      }
      long delay = backoff.next().toMillis();
      assertThat(delay).isBetween(0L, 30_000L);
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    // Full jitter: the spread covers nearly all of [0, cap], not a narrow band around it.
    assertThat(min).isLessThan(3_000);
    assertThat(max).isGreaterThan(27_000);
  }

  @Test
  void resetStartsOverFromTheBase() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(3));
    for (int i = 0; i < 40; i++) {
      backoff.next();
    }
    assertThat(backoff.ceilingMillis()).isEqualTo(30_000);
    backoff.reset();
    assertThat(backoff.ceilingMillis()).isEqualTo(500);
    assertThat(backoff.next().toMillis()).isBetween(0L, 500L);
  }

  @Test
  void refusesNonsensicalBounds() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
