package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --fan-out-threads} sets the relay's fan-out helpers; the split itself is tested in relay-core. */
@Timeout(60)
class FanOutThreadsOptionTest {
  @Test
  void zeroHelpersIsAcceptedAndReachesTheRelay() throws Exception {
    try (Cli.Running relay = Cli.start(Map.of(), "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
        "--http-port", "0", "--no-mdns", "--fan-out-threads", "0")) {
      assertThat(relay.relay().toString()).contains("fanOutThreads=0");
    }
  }

  @Test
  void aNegativeNumberIsAUsageError() {
    Cli.Result r = Cli.run("--fan-out-threads", "-1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--fan-out-threads -1: must be 0 or more");
  }
}
