package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The pre-event clip flags, from the command line and the environment, and a clear error for a bad one. */
class ClipOptionsTest {
  @Test
  void preEventFlagsAndTheirEnvironmentVariablesAreRead() {
    CommandLine cl = CamrelayCommand.commandLine(Map.of("CAMRELAY_PRE_EVENT_MAX_SIZE", "8MiB"));
    cl.parseArgs("--pre-event", "10s", "--clips-dir", "/tmp/clips");
    CamrelayCommand c = cl.getCommand();
    assertThat(c.clips.preEvent).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.clips.preEventMaxSize).isEqualTo(8 * 1024 * 1024);
    assertThat(c.clips.clipsDir).isEqualTo(Path.of("/tmp/clips"));
  }

  @Test
  void aBadPreEventDurationIsAUsageErrorNamingTheOption() {
    CommandLine cl = CamrelayCommand.commandLine(Map.of());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int status = cl.execute("--pre-event", "ten");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("--pre-event").contains("'ten' is not a duration");
  }
}
