package dev.camrelay.relay.internal.past;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Times and durations in the past's query strings, and the 400 messages for bad ones. */
class TimeParamsTest {
  private static TimeParams query(String q) {
    return new TimeParams(new QueryStringDecoder("/x?" + q).parameters());
  }

  @Test
  void aTimeIsEpochMillisecondsOrIsoWithZoneOrOffset() {
    long nine = 1_796_202_000_000L; // 2026-12-02T09:00:00Z
    assertThat(query("at=1796202000000").timeMicros("at")).isEqualTo(nine * 1000);
    assertThat(query("at=2026-12-02T09:00:00Z").timeMicros("at")).isEqualTo(nine * 1000);
    assertThat(query("at=2026-12-02T10:00:00.250%2B01:00").timeMicros("at")).isEqualTo(nine * 1000 + 250_000);
    assertThat(query("at=2026-12-02T10:00:00+01:00").timeMicros("at")).as("an unencoded + decodes to a space")
        .isEqualTo(nine * 1000);
    assertThat(query("at=2026-12-02T08:00:00-01:00").timeMicros("at")).isEqualTo(nine * 1000);
  }

  @Test
  void aBadOrMissingTimeNamesTheParameterAndTheFormsWanted() {
    assertThatThrownBy(() -> query("from=yesterday").timeMicros("from"))
        .isInstanceOf(TimeParams.BadParameter.class)
        .hasMessageContaining("from='yesterday' is not a time").hasMessageContaining("2026-12-02T09:00:00Z");
    assertThatThrownBy(() -> query("from=2026-12-02T09:00:00").timeMicros("from"))
        .as("no zone: ambiguous").hasMessageContaining("from=");
    assertThatThrownBy(() -> query("x=1").timeMicros("to")).hasMessage("the parameter 'to' is required");
    assertThat(query("x=1").timeMicros("to", 42)).isEqualTo(42);
  }

  @Test
  void aDurationHasAUnitOrIsIso() {
    assertThat(query("d=10s").duration("d")).isEqualTo(Duration.ofSeconds(10));
    assertThat(query("d=5m").duration("d")).isEqualTo(Duration.ofMinutes(5));
    assertThat(query("d=1.5s").duration("d")).isEqualTo(Duration.ofMillis(1500));
    assertThat(query("d=250ms").duration("d")).isEqualTo(Duration.ofMillis(250));
    assertThat(query("d=PT20S").duration("d")).isEqualTo(Duration.ofSeconds(20));
    assertThat(query("d=1d").duration("d")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void aBadDurationOrSpeedNamesTheParameter() {
    assertThatThrownBy(() -> query("before=10").duration("before"))
        .hasMessageStartingWith("before='10' is not a duration");
    assertThatThrownBy(() -> query("every=-5s").duration("every")).hasMessageStartingWith("every='-5s'");
    assertThatThrownBy(() -> query("every=99999d").duration("every")).hasMessageContaining("at most 3650d");
    assertThatThrownBy(() -> query("speed=fast").positive("speed", 1, 64))
        .hasMessage("speed='fast' is not a number above 0 and at most 64");
    assertThatThrownBy(() -> query("speed=0").positive("speed", 1, 64)).hasMessageStartingWith("speed='0'");
    assertThat(query("speed=4").positive("speed", 1, 64)).isEqualTo(4.0);
    assertThat(query("x=1").positive("speed", 1, 64)).isEqualTo(1.0);
  }
}
