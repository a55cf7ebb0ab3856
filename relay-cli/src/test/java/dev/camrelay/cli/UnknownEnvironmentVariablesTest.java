package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A misspelt CAMRELAY_ variable is named in one warning line with the setting it probably meant, never its value. */
class UnknownEnvironmentVariablesTest {
  private static long linesNaming(String err, String name) {
    return Arrays.stream(err.split("\n")).filter(l -> l.contains(name)).count();
  }

  @Test
  void aMisspeltVariableIsNamedOnceWithTheClosestSettingAndWithoutItsValue() {
    Cli.Result r = Cli.run(Map.of("CAMRELAY_VIEWER_TOKN", "s3cret-value", "CAMRELAY_HTTP_PORT", "8080",
        "PATH", "/usr/bin"), "--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains("camrelay: warning: CAMRELAY_VIEWER_TOKN is not a camrelay setting and is ignored"
        + " (did you mean CAMRELAY_VIEWER_TOKEN?)").doesNotContain("s3cret-value");
    assertThat(linesNaming(r.err(), "CAMRELAY_VIEWER_TOKN")).isEqualTo(1);
    assertThat(r.err()).doesNotContain("CAMRELAY_HTTP_PORT").doesNotContain("PATH");
  }

  @Test
  void aSubcommandSettingWithoutItsPrefixOrInLowerCaseGetsTheRealNames() {
    Cli.Result r = Cli.run(Map.of("CAMRELAY_FPS", "5", "camrelay_http_port", "8080"), "--version");
    assertThat(r.err()).contains("CAMRELAY_FPS is not a camrelay setting and is ignored (did you mean"
        + " CAMRELAY_BENCH_FPS or CAMRELAY_SIMULATE_FPS?)");
    assertThat(r.err()).contains("camrelay_http_port is not a camrelay setting and is ignored (did you mean"
        + " CAMRELAY_HTTP_PORT?)");
  }

  @Test
  void aVariableLikeNoSettingIsStillNamedWithoutAGuess() {
    Cli.Result r = Cli.run(Map.of("CAMRELAY_XYZZY_PLUGH", "1", "CAMRELAY_CONFIG_UNUSED_NOTHING_LIKE", "x"),
        "--version");
    assertThat(r.err()).contains("camrelay: warning: CAMRELAY_XYZZY_PLUGH is not a camrelay setting and is ignored"
        + " (settings are CAMRELAY_ + a long option name, e.g. CAMRELAY_HTTP_PORT)");
    assertThat(linesNaming(r.err(), "warning:")).isEqualTo(2);
  }

  @Test
  void everyOptionsOwnVariableAndConfigAreKnown() {
    Cli.Result r = Cli.run(Map.of("CAMRELAY_CONFIG_X", "1", "CAMRELAY_TLS_PASSWORD", "pw-value",
        "CAMRELAY_SIMULATE_RELAY", "h:1", "CAMRELAY_VERBOSE", "true"), "--version");
    assertThat(r.err()).doesNotContain("CAMRELAY_TLS_PASSWORD").doesNotContain("CAMRELAY_SIMULATE_RELAY")
        .doesNotContain("CAMRELAY_VERBOSE").contains("CAMRELAY_CONFIG_X");
  }
}
