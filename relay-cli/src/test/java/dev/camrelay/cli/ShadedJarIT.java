package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, run with {@code java -jar} as a user runs it (failsafe, after {@code package}). */
@Timeout(120)
class ShadedJarIT {
  private static final Path JAR = Path.of(System.getProperty("camrelay.jar", "target/camrelay.jar"));
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  @TempDir Path dir;

  /** Starts the jar; its log (stderr) goes to a file so a full pipe never blocks it. */
  private Process start(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.log").toFile()).start();
  }

  @Test
  void versionRunsFromTheShadedJar() throws Exception {
    assertThat(JAR).exists();
    Process p = start("--version");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).startsWith("camrelay 0.").contains("Java ");
  }

  @Test
  void demoServesASnapshotAndStopsCleanlyOnSigterm() throws Exception {
    Process p = start("--demo", "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0", "--http-port", "0",
        "--rtsp-port", "0");
    try {
      int port = httpPortFromBanner(p);
      HttpClient http = HttpClient.newHttpClient();
      DemoSnapshot.assertServed(http, port);
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200); // the web viewer is in the jar
    } finally {
      p.destroy(); // SIGTERM, like Ctrl-C or systemd stop
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    String err = Files.readString(dir.resolve("stderr.log"));
    assertThat(err).contains("[INFO]")                       // slf4j-simple found through the merged service files
        .doesNotContain("No SLF4J providers").contains("stopped");
  }

  @Test
  void aYamlConfigIsReloadedOnSighupAndTheRelayKeepsRunning() throws Exception {
    Path config = dir.resolve("relay.yaml");
    Files.writeString(config, "bind: 127.0.0.1\ntcp-port: 0\nws-port: 0\nhttp-port: 0\ncameras:\n");
    Process p = start("--config", config.toString(), "--status-interval", "0");
    try {
      int port = httpPortFromBanner(p);
      Files.writeString(config, "bind: 127.0.0.1\ntcp-port: 0\nws-port: 0\nhttp-port: 0\ncameras:\n"
          + "  porch:\n    token: k3y\n");
      new ProcessBuilder("kill", "-HUP", String.valueOf(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      URI cameras = URI.create("http://127.0.0.1:" + port + "/api/cameras");
      Await.until("the reloaded camera is listed",
          () -> http.send(HttpRequest.newBuilder(cameras).build(), HttpResponse.BodyHandlers.ofString()).body(),
          body -> body.contains("\"porch\""));
      assertThat(p.isAlive()).as("SIGHUP reloads, it does not end the relay").isTrue();
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(dir.resolve("stderr.log"))).contains("reloaded, 1 camera changed")
        .doesNotContain("k3y");
  }

  /** Reads the banner until the viewer URL and returns its HTTP port. */
  private static int httpPortFromBanner(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern viewer = Pattern.compile("Viewer\\s+http://localhost:(\\d+)/");
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = viewer.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("the banner named no HTTP port");
  }

  @Test
  void verboseFlagReachesSubcommandsAndTheLogger() throws Exception {
    // nothing listens on port 1: the simulator retries; its repeated failures are DEBUG lines
    Process p = start("simulate", "-v", "--relay", "127.0.0.1:1", "--seconds", "1.5");
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    String err = Files.readString(dir.resolve("stderr.log"));
    assertThat(err).contains("[DEBUG]").contains("connection refused")
        .contains("camrelay: could not connect to the relay at 127.0.0.1:1");
  }

  @Test
  void jarIsRunnableWithoutTheBuildDirectory() throws Exception {
    assertThat(Files.size(JAR)).isGreaterThan(1_000_000); // dependencies are inside
  }
}
