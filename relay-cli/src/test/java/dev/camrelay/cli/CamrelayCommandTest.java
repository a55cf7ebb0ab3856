package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.HostAndPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CamrelayCommandTest {
  @TempDir Path dir;

  @Test
  void helpListsTheOptionsAndExamples() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: camrelay", "--http-port", "--camera-token", "--pull", "--demo",
        "CAMRELAY_HTTP_PORT", "Examples:", "camrelay --demo", "simulate", "bench", "probe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "simulate", "bench", "probe", "share"})
  void helpNeverBreaksALineInsideAUrlOrPathAndShowsNoEscapes(String subcommand) {
    Cli.Result r = subcommand.isEmpty() ? Cli.run("--help") : Cli.run(subcommand, "--help");
    String[] lines = r.out().split("\\R");
    for (int i = 0; i + 1 < lines.length; i++) {
      String line = lines[i].stripTrailing();
      String next = lines[i + 1].strip();
      boolean brokenUrl = line.matches(".*\\b(https?|wss?|tls|tcp):/?") // a scheme alone ("wss://") may end a line
          || line.matches(".*(\\d| ):") && next.matches("\\d.*") // host:port, or ":81/stream"
          || line.matches(".*\\S/") && next.matches("[\\w<>.-]+/\\S*( .*)?");
      assertThat(brokenUrl).as("line %d of '%s --help' continues on the next:%n%s%n%s", i, subcommand, line, next)
          .isFalse();
      assertThat(next).as("line %d of '%s --help'", i + 1, subcommand).doesNotStartWith("//");
    }
    assertThat(r.out()).doesNotContain("\\\"");
  }

  @Test
  void subcommandHelpHasItsOwnExamples() {
    Cli.Result r = Cli.run("simulate", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: camrelay simulate", "--raw-per-frame", "--on-demand", "Examples:");
  }

  @Test
  void versionPrintsTheProjectVersion() {
    Cli.Result r = Cli.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("camrelay 0.").contains("Java ");
  }

  @Test
  void badFlagValueIsAUsageErrorWithExit2() {
    Cli.Result r = Cli.run("--http-port", "eighty");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--http-port").contains("eighty").contains("camrelay --help");
    assertThat(r.err()).doesNotContain("at dev.camrelay"); // no stack trace
  }

  @Test
  void unknownFlagIsAUsageErrorNamingOnlyTheFlagWithASuggestion() {
    Cli.Result r = Cli.run("--http-prot", "8080");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("camrelay: unknown option '--http-prot'" + System.lineSeparator())
        .contains("--http-port").doesNotContain("'8080'");
    assertThat(Cli.run("--http-prot=8080").err()).startsWith("camrelay: unknown option '--http-prot'");
  }

  @Test
  void outOfRangePortIsAUsageError() {
    Cli.Result r = Cli.run("--tcp-port", "70000");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--tcp-port 70000");
  }

  @Test
  void badFrameSizeIsAUsageError() {
    Cli.Result r = Cli.run("--max-frame-size", "4 parsecs");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--max-frame-size").contains("e.g. 4MiB");
  }

  @Test
  void pullNeedsIdAndHttpUrl() {
    Cli.Result r = Cli.run("--pull", "http://192.168.1.40:81/stream");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("expected ID=URL");
    r = Cli.run("--pull", "cam=ftp://x/stream");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("http:// or https://");
  }

  @Test
  void missingKeystoreIsNamed() {
    Path missing = dir.resolve("nope.p12");
    Cli.Result r = Cli.run("--tls-keystore", missing.toString(), "--tls-password", "x");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("TLS keystore " + missing + " does not exist").doesNotContain("Exception");
  }

  @Test
  void flagBeatsEnvironmentAndEnvironmentBeatsConfigFile() throws Exception {
    Path config = dir.resolve("camrelay.properties");
    Files.writeString(config, "http-port=9090\nws-port=9091\ntcp-port=9092\nviewer-token=from-file\n"
        + "max-frame-size=1MiB\nsimulate.fps=7\n");
    Map<String, String> env = Map.of("CAMRELAY_HTTP_PORT", "8080", "CAMRELAY_WS_PORT", "8081",
        "CAMRELAY_ON_DEMAND_LINGER", "3s");
    CommandLine cl = CamrelayCommand.commandLine(env);
    cl.parseArgs("--config", config.toString(), "--http-port", "7070");
    CamrelayCommand c = cl.getCommand();
    assertThat(c.listen.httpPort).isEqualTo(7070);      // flag > env > file
    assertThat(c.listen.wsPort).isEqualTo(8081);        // env > file
    assertThat(c.listen.tcpPort).isEqualTo(9092);       // file > default
    assertThat(c.access.viewerTokens).containsExactly("from-file");
    assertThat(c.serving.maxFrameSize).isEqualTo(1024 * 1024);
    assertThat(c.limits.onDemandLinger).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.listen.bind).isEqualTo("0.0.0.0");     // default
  }

  @Test
  void aYamlConfigFileGivesTheSameDefaultsWithSubcommandsNestedAndListsCommaSeparated() throws Exception {
    Path config = dir.resolve("camrelay.yaml");
    Files.writeString(config, """
        http-port: 9090            # the page
        viewer-token: from-file
        camera-token: [porch=k1, shed=k2]
        max-frame-size: 1MiB
        simulate:
          fps: 7
        cameras:
          garage:
            pull: http://192.168.1.40:81/stream
        """);
    CommandLine cl = CamrelayCommand.commandLine(Map.of("CAMRELAY_WS_PORT", "8081"));
    CommandLine.ParseResult pr = cl.parseArgs("--config", config.toString(), "simulate");
    CamrelayCommand c = cl.getCommand();
    assertThat(c.listen.httpPort).isEqualTo(9090);
    assertThat(c.listen.wsPort).isEqualTo(8081);
    assertThat(c.access.viewerTokens(cl).global()).isEqualTo("from-file");
    assertThat(c.access.cameraTokens(cl).perCamera()).containsEntry("porch", "k1").containsEntry("shed", "k2");
    assertThat(c.serving.maxFrameSize).isEqualTo(1024 * 1024);
    dev.camrelay.cli.simulate.SimulateCommand sim = pr.subcommand().commandSpec().commandLine().getCommand();
    assertThat(sim).extracting("camera.fps").isEqualTo(7.0);
  }

  @Test
  void aTypoInAYamlConfigFileIsAUsageErrorNamingItsLineAndColumn() throws Exception {
    Path config = dir.resolve("camrelay.yml");
    Files.writeString(config, "http-port: 9090\nviewer-tokn: x\n");
    Cli.Result r = Cli.run("--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("config file " + config + ": line 2, column 1: unknown key 'viewer-tokn'");
    Files.writeString(config, "cameras:\n  garage:\n    pull: ftp://cam/\n");
    r = Cli.run("--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("line 3, column 5: camera 'garage': pull URL must be http:// or https://");
  }

  @Test
  void configFileCanBeNamedByTheEnvironment() throws Exception {
    Path config = dir.resolve("c.properties");
    Files.writeString(config, "http-port=9191\n");
    CommandLine cl = CamrelayCommand.commandLine(Map.of("CAMRELAY_CONFIG", config.toString()));
    cl.parseArgs();
    assertThat(((CamrelayCommand) cl.getCommand()).listen.httpPort).isEqualTo(9191);
  }

  @Test
  void subcommandOptionsComeFromPrefixedKeys() throws Exception {
    Path config = dir.resolve("c.properties");
    Files.writeString(config, "simulate.fps=7\n");
    CommandLine cl = CamrelayCommand.commandLine(Map.of("CAMRELAY_SIMULATE_CAMERA_ID", "porch"));
    CommandLine.ParseResult pr = cl.parseArgs("--config", config.toString(), "simulate");
    dev.camrelay.cli.simulate.SimulateCommand sim = pr.subcommand().commandSpec().commandLine().getCommand();
    assertThat(sim).extracting("camera.fps").isEqualTo(7.0);
    assertThat(sim).extracting("camera.cameraId").isEqualTo("porch");
  }

  @Test
  void sharedOptionsKeepEachCommandsDefaultsAndEveryNameOfTheirEnvironmentVariable() {
    CommandLine cl = CamrelayCommand.commandLine(Map.of("CAMRELAY_BENCH_TCP", "10.0.0.9:4008",
        "CAMRELAY_SIMULATE_RELAY", "10.0.0.8:5008"));
    CommandLine.ParseResult bench = cl.parseArgs("bench");
    assertThat(bench.subcommand().commandSpec().commandLine().<Object>getCommand())
        .extracting("camera.fps", "camera.size", "tcp.address")
        .containsExactly(30.0, new Size(800, 600), HostAndPort.fromParts("10.0.0.9", 4008));
    cl = CamrelayCommand.commandLine(Map.of("CAMRELAY_SIMULATE_RELAY", "10.0.0.8:5008"));
    CommandLine.ParseResult simulate = cl.parseArgs("simulate");
    assertThat(simulate.subcommand().commandSpec().commandLine().<Object>getCommand())
        .extracting("camera.fps", "camera.size", "relay.address")
        .containsExactly(10.0, new Size(640, 480), HostAndPort.fromParts("10.0.0.8", 5008));
  }

  @Test
  void unknownConfigKeyIsAUsageErrorNamingTheKey() throws Exception {
    Path config = dir.resolve("c.properties");
    Files.writeString(config, "htp-port=8080\n");
    Cli.Result r = Cli.run("--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown key htp-port").contains(config.toString());
  }

  @Test
  void missingConfigFileIsAUsageError() {
    Path config = dir.resolve("absent.properties");
    Cli.Result r = Cli.run("--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("config file " + config + " does not exist");
  }

  @Test
  void badEnvironmentValueIsAUsageErrorNamingTheOption() {
    Cli.Result r = Cli.run(Map.of("CAMRELAY_HTTP_PORT", "lots"), "--bind", "127.0.0.1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--http-port").contains("lots");
  }

  @Test
  void cameraTokensSplitIntoGlobalAndPerCamera() {
    CameraTokens tokens = CameraTokens.parse(java.util.List.of("porch=k1", "abc==", "garage=k2"));
    assertThat(tokens.global()).isEqualTo("abc=="); // base64 padding is part of a token, not an ID=TOKEN pair
    assertThat(tokens.perCamera()).containsExactly(Map.entry("porch", "k1"), Map.entry("garage", "k2"));
    assertThat(tokens.forCamera("porch")).isEqualTo("k1");
    assertThat(tokens.forCamera("kitchen")).isEqualTo("abc==");
  }

  @Test
  void twoGlobalCameraTokensAreAUsageError() {
    Cli.Result r = Cli.run("--camera-token", "secret-alpha", "--camera-token", "secret-beta");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("ID=TOKEN").doesNotContain("secret-alpha").doesNotContain("secret-beta");
  }
}
