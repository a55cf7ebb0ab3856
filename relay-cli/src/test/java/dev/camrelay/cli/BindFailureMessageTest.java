package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.PortBindException;
import java.net.BindException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class BindFailureMessageTest {
  private static ListenOptions listen(String... args) {
    ListenOptions listen = new ListenOptions();
    new CommandLine(listen).parseArgs(args);
    return listen;
  }

  @ParameterizedTest
  @CsvSource({"TCP_PORT, --tcp-port", "WS_PORT, --ws-port", "HTTP_PORT, --http-port"})
  void aPortBindExceptionGetsTheFlagOfItsSettingAfterTheRelaysWords(PortBindException.Setting setting, String flag) {
    PortBindException e = new PortBindException(setting, 3008, "some port 3008 is already in use", null);
    assertThat(BindFailureMessage.of(e, listen())).isEqualTo("some port 3008 is already in use (" + flag + ")");
  }

  @Test
  void aPlainBindExceptionNamesThePortsAndEveryPortFlag() {
    String m = BindFailureMessage.of(new BindException("Address already in use"),
        listen("--tcp-port", "4008", "--ws-port", "4009", "--http-port", "4010"));
    assertThat(m).isEqualTo("cannot listen: Address already in use (one of ports 4008/4009/4010 is taken;"
        + " change it with --tcp-port, --ws-port or --http-port)");
  }
}
