package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command advertises the relay by mDNS unless told not to ({@code --no-mdns}, {@code CAMRELAY_MDNS=false}), under
 * {@code camrelay on <machine>} or {@code --mdns-name}; the advertising itself is tested in relay-core.
 */
@Timeout(60)
class MdnsOptionTest {
  private static final String[] RELAY = {"--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
      "--http-port", "0"};

  private static String configOf(Map<String, String> env, String... extra) throws Exception {
    String[] args = Stream.concat(Arrays.stream(RELAY), Arrays.stream(extra)).toArray(String[]::new);
    try (Cli.Running relay = Cli.start(env, args)) {
      return relay.relay().toString();
    }
  }

  @Test
  void mdnsIsOnByDefaultAndOffWithTheFlagOrTheEnvironment() throws Exception {
    assertThat(configOf(Map.of())).contains("mdns='camrelay on " + HostAddresses.machineName() + "'");
    assertThat(configOf(Map.of(), "--mdns-name", "attic relay")).contains("mdns='attic relay'");
    assertThat(configOf(Map.of(), "--no-mdns")).contains("mdns=off");
    assertThat(configOf(Map.of("CAMRELAY_MDNS", "false"))).contains("mdns=off");
  }

  @Test
  void aNameThatCannotBeAdvertisedIsAUsageError() {
    Cli.Result r = Cli.run("--mdns-name", "x".repeat(64));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--mdns-name").contains("1..63 bytes");
  }
}
