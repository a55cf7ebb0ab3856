package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive ({@code camrelay-<version>.tar.gz}, built in {@code package}) unpacked and run through
 * {@code bin/camrelay} as the README's "Install as a service" says (failsafe, after {@code package}).
 */
@Timeout(120)
@DisabledOnOs(OS.WINDOWS)
class DistributionArchiveIT {
  private static final Path ARCHIVE = Path.of(System.getProperty("camrelay.dist", "target/camrelay-dist.tar.gz"));
  private static final Pattern VIEWER = Pattern.compile("Viewer\\s+http://localhost:(\\d+)/");

  @TempDir Path dir;
  private Path home;

  @BeforeEach
  void unpack() throws Exception {
    assertThat(ARCHIVE).exists();
    Process tar = new ProcessBuilder("tar", "-xzf", ARCHIVE.toString(), "-C", dir.toString())
        .redirectErrorStream(true).start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(out).isZero();
    try (Stream<Path> top = Files.list(dir)) {
      home = top.filter(p -> p.getFileName().toString().startsWith("camrelay-")).findFirst().orElseThrow();
    }
  }

  /** Runs bin/camrelay (through {@code launcher}) with the test's own Java as JAVA_HOME; output goes to files. */
  private Process launch(Path launcher, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(dir.resolve("stderr.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CAMRELAY_") || k.equals("JAVA_OPTS"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    return pb.start();
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  private String finish(Process p) throws Exception {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return log("stderr.log");
  }

  @Test
  void theArchiveHoldsLauncherJarConfigUnitAndLicense() {
    assertThat(home.resolve("bin/camrelay")).isExecutable();
    assertThat(home.resolve("lib/camrelay.jar")).isRegularFile();
    assertThat(home.resolve("conf/camrelay.properties")).isRegularFile();
    assertThat(home.resolve("systemd/camrelay.service")).isRegularFile();
    assertThat(home.resolve("LICENSE")).isRegularFile();
    assertThat(home.resolve("README.txt")).content().doesNotContain("${project.version}");
  }

  @Test
  void demoStartedThroughASymlinkServesThePageAndSnapshotAndStopsCleanlyOnSigterm() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("camrelay"), home.resolve("bin/camrelay"));
    Process p = launch(link, Map.of(),
        "--demo", "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0", "--http-port", "0");
    try {
      String banner = Await.until("the banner naming the HTTP port (or the launcher's exit)",
          () -> log("stdout.log"), out -> VIEWER.matcher(out).find() || !p.isAlive());
      Matcher m = VIEWER.matcher(banner);
      assertThat(m.find()).as("banner; stderr: %s", log("stderr.log")).isTrue();
      int port = Integer.parseInt(m.group(1));

      // exec: the launcher's process is the JVM itself, with the measured flags before the jar
      List<String> jvmArgs = List.of(p.info().arguments().orElse(new String[0]));
      assertThat(p.info().command().orElse("")).endsWith(File.separator + "java");
      assertThat(jvmArgs).containsSubsequence("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-jar");

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<html"); // the web viewer is inside lib/camrelay.jar
      DemoSnapshot.assertServed(http, port);
    } finally {
      p.destroy(); // SIGTERM, as systemctl stop sends
    }
    String err = finish(p);
    assertThat(p.exitValue()).as("128 + SIGTERM after a clean stop (the unit's SuccessExitStatus)").isEqualTo(143);
    assertThat(err).contains("stopped").doesNotContain("Exception").doesNotContain("[WARN]"); // nor CAMRELAY_CONFIG
  }

  @Test
  void theLauncherReadsConfCamrelayPropertiesByDefault() throws Exception {
    Files.writeString(home.resolve("conf/camrelay.properties"), "htp-port=8080\n", StandardOpenOption.APPEND);
    Process p = launch(home.resolve("bin/camrelay"), Map.of(), "--http-port", "0");
    String err = finish(p);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err).contains("conf" + File.separator + "camrelay.properties").contains("unknown key htp-port");
  }

  @Test
  void theCommentedExampleConfigIsValidAsShipped() throws Exception {
    Process p = launch(home.resolve("bin/camrelay"), Map.of(), "--version");
    String err = finish(p);
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(log("stdout.log")).startsWith("camrelay ");
  }

  @Test
  void javaOptsReachTheJvm() throws Exception {
    Process p = launch(home.resolve("bin/camrelay"), Map.of("JAVA_OPTS", "-XX:+NoSuchCamrelayTestFlag"),
        "--version");
    String err = finish(p);
    assertThat(p.exitValue()).isNotZero();
    assertThat(err).contains("Unrecognized VM option 'NoSuchCamrelayTestFlag'");
  }

  @Test
  void aJavaOlderThan17IsRefusedWithAClearMessage() throws Exception {
    Path oldJava = dir.resolve("jdk8/bin/java");
    Files.createDirectories(oldJava.getParent());
    Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"1.8.0_392\"' >&2\n");
    assertThat(oldJava.toFile().setExecutable(true)).isTrue();
    Process p = launch(home.resolve("bin/camrelay"), Map.of("JAVA_HOME", dir.resolve("jdk8").toString()),
        "--version");
    String err = finish(p);
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(err).contains("is Java 1.8.0_392; camrelay needs Java 17 or newer (set JAVA_HOME to one)");
  }

  @Test
  void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
    Path analyze = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(d -> Path.of(d, "systemd-analyze")).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(analyze).as("systemd-analyze is not installed: the unit is not checked").isNotNull();
    // the unit names /opt/camrelay/bin/camrelay, which verify requires to exist: point it at the unpacked launcher
    Path units = Files.createDirectories(dir.resolve("units"));
    String unit = Files.readString(home.resolve("systemd/camrelay.service"));
    assertThat(unit).contains("ExecStart=/opt/camrelay/bin/camrelay\n");
    Files.writeString(units.resolve("camrelay.service"),
        unit.replace("/opt/camrelay/bin/camrelay", home.resolve("bin/camrelay").toString()));
    Process p = new ProcessBuilder(analyze.toString(), "verify", units.resolve("camrelay.service").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("systemd-analyze's warnings (unknown keys are only warned about)").isBlank();
  }
}
