package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.HostAndPort;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  private final ByteSizeConverter sizes = new ByteSizeConverter();
  private final DurationConverter durations = new DurationConverter();

  @Test
  void sizesAcceptBinarySuffixes() {
    assertThat(sizes.convert("4MiB")).isEqualTo(4 * 1024 * 1024);
    assertThat(sizes.convert("512KiB")).isEqualTo(512 * 1024);
    assertThat(sizes.convert("300k")).isEqualTo(300 * 1024);
    assertThat(sizes.convert("2 MB")).isEqualTo(2 * 1024 * 1024);
    assertThat(sizes.convert("1048576")).isEqualTo(1048576);
  }

  @Test
  void badSizesSayWhatIsExpected() {
    assertThatThrownBy(() -> sizes.convert("4 parsecs")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("e.g. 4MiB");
    assertThatThrownBy(() -> sizes.convert("4096MiB")).hasMessageContaining("too large");
    assertThatThrownBy(() -> sizes.convert("0")).hasMessageContaining("positive");
  }

  @Test
  void durationsAcceptUnitsAndIso() {
    assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(durations.convert("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(durations.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(durations.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(durations.convert("24h")).isEqualTo(Duration.ofDays(1));
    assertThat(durations.convert("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(durations.convert("PT10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(durations.convert("0")).as("'0 = never' in the help must parse").isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> durations.convert("soon")).hasMessageContaining("e.g. 500ms");
  }

  @Test
  void relayAddressDefaultsToLoopbackAndUnbracketsIpv6() {
    assertThat(HostAndPortConverter.parse("3008")).isEqualTo(HostAndPort.fromParts("127.0.0.1", 3008));
    assertThat(HostAndPortConverter.parse(":3008")).isEqualTo(HostAndPort.fromParts("127.0.0.1", 3008));
    assertThat(HostAndPortConverter.parse("cam.local:9000")).isEqualTo(HostAndPort.fromParts("cam.local", 9000));
    HostAndPort v6 = HostAndPortConverter.parse("[::1]:3008");
    assertThat(v6.getHost()).isEqualTo("::1");
    assertThat(v6.getPort()).isEqualTo(3008);
    assertThat(v6).hasToString("[::1]:3008");
  }

  @Test
  void badRelayAddressesSayWhatIsExpected() {
    assertThatThrownBy(() -> HostAndPortConverter.parse("host:99999")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> HostAndPortConverter.parse("host:0")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> HostAndPortConverter.parse("host:abc")).hasMessageContaining("e.g. 127.0.0.1:3008");
    assertThatThrownBy(() -> HostAndPortConverter.parse("cam.local")).hasMessageContaining("is not host:port");
    assertThatThrownBy(() -> HostAndPortConverter.parse("::1:3008")).hasMessageContaining("[::1]:3008")
        .hasMessageContaining("brackets");
    assertThatThrownBy(() -> HostAndPortConverter.parse("[cam:local]:80")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> new HostAndPortConverter().convert("nope"))
        .isInstanceOf(TypeConversionException.class);
  }
}
