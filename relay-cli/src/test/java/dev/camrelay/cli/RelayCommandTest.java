package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The main command running a real relay, as a user starts it. */
@Timeout(90)
class RelayCommandTest {
  private static final String[] EPHEMERAL = {"--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
      "--http-port", "0"};
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private static String[] args(String... more) {
    String[] all = new String[EPHEMERAL.length + more.length];
    System.arraycopy(EPHEMERAL, 0, all, 0, EPHEMERAL.length);
    System.arraycopy(more, 0, all, EPHEMERAL.length, more.length);
    return all;
  }

  private HttpResponse<byte[]> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void demoServesLiveVideoWithNoHardware() throws Exception {
    try (Cli.Running cmd = Cli.start(Map.of(), args("--demo"))) {
      int port = cmd.relay().httpPort();
      HttpResponse<byte[]> snapshot = Await.until("the demo camera's first frame", // it connects in the background
          () -> get(port, "/cam/default/snapshot.jpg"), r -> r.statusCode() != 503 && r.statusCode() != 404);
      assertThat(snapshot.statusCode()).isEqualTo(200);
      JpegInfo info = JpegInfo.of(JpegFrame.parse(snapshot.body()));
      assertThat(info.width()).isEqualTo(640);
      assertThat(info.height()).isEqualTo(480);
      assertThat(cmd.out()).contains("with a simulated camera")
          .contains("http://localhost:" + port + "/")
          .contains("http://localhost:" + port + "/cam/default/stream.mjpeg")
          .contains("http://localhost:" + port + "/cam/default/snapshot.jpg")
          .contains("ws://localhost:" + cmd.relay().wsPort() + "/")
          .contains("tcp://localhost:" + cmd.relay().tcpPort());
      Cli.Result r = cmd.stop();
      assertThat(r.exitCode()).isZero();
    }
  }

  @Test
  void demoListensOnLoopbackSoItsControlPanelWorksWithoutTokens() throws Exception {
    try (Cli.Running cmd = Cli.start(Map.of(), "--demo", "--tcp-port", "0", "--ws-port", "0", "--http-port", "0")) {
      int port = cmd.relay().httpPort();
      String info = new String(get(port, "/api/info").body(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(info).contains("\"controlRequiresToken\":false");
      Await.until("the demo camera connects", () -> cmd.relay().camera("default").map(c -> c.connected())
          .orElse(false));
      assertThat(cmd.relay().control("default", "{\"cmd\":\"status\"}").get(20, java.util.concurrent.TimeUnit.SECONDS))
          .contains("\"ok\":true");
      assertThat(cmd.stop().exitCode()).isZero();
    }
  }

  @Test
  void statusLinesAreLogLinesWithTimeAndLevelWhenNotOnATerminal() throws Exception {
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
    try (Cli.Running cmd = Cli.start(Map.of(), args("--demo", "--status-interval", "200ms"))) {
      // not a terminal here: log lines (when they are written is StatusReporterTest's subject)
      Await.until("a status line", () -> log.toString(java.nio.charset.StandardCharsets.UTF_8).contains("640x480"));
      assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8))
          .containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[INFO\\] StatusReporter - "
              + "default 640x480 [\\d.]+ fps in, \\d+ viewers?");
      assertThat(cmd.out()).doesNotContain("640x480");
    } finally {
      System.setErr(stderr);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--tcp-port", "--http-port"})
  void portInUseNamesThePortAndTheFlagAndExits1(String flag) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(taken.getLocalPort());
      Map<String, String> ports = new java.util.HashMap<>(Map.of("--tcp-port", "0", "--ws-port", "0",
          "--http-port", "0"));
      ports.put(flag, port);
      Cli.Result r = Cli.run("--bind", "127.0.0.1", "--tcp-port", ports.get("--tcp-port"), "--ws-port",
          ports.get("--ws-port"), "--http-port", ports.get("--http-port"));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains(port).contains(flag).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void portsFromTheEnvironmentAndTheConfigFileAreTheOnesBound() throws Exception {
    int envPort;
    int filePort;
    try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
      envPort = a.getLocalPort();
      filePort = b.getLocalPort();
    }
    Path config = dir.resolve("camrelay.properties");
    Files.writeString(config, "bind=127.0.0.1\nhttp-port=" + filePort + "\nws-port=1\ntcp-port=0\n");
    // ws-port: the environment (0) wins over the file (1); http-port comes from the file
    try (Cli.Running cmd = Cli.start(Map.of("CAMRELAY_WS_PORT", Integer.toString(envPort),
        "CAMRELAY_CONFIG", config.toString()))) {
      assertThat(cmd.relay().wsPort()).isEqualTo(envPort);
      assertThat(cmd.relay().httpPort()).isEqualTo(filePort);
      assertThat(new String(get(filePort, "/healthz").body()).strip()).isEqualTo("ok");
    }
  }

  @Test
  void viewerTokenIsRequiredAndNeverPrinted() throws Exception {
    try (Cli.Running cmd = Cli.start(Map.of("CAMRELAY_VIEWER_TOKEN", "s3cret-viewer"), args())) {
      int port = cmd.relay().httpPort();
      assertThat(get(port, "/api/cameras").statusCode()).isEqualTo(401);
      assertThat(get(port, "/api/cameras?token=s3cret-viewer").statusCode()).isEqualTo(200);
      assertThat(cmd.out()).contains("viewer token").doesNotContain("s3cret-viewer");
      assertThat(cmd.err()).doesNotContain("s3cret-viewer");
    }
  }

  @Test
  void unreadableKeystoreIsNamed() throws Exception {
    Path bogus = dir.resolve("bogus.p12");
    Files.writeString(bogus, "not a keystore");
    Cli.Result r = Cli.run(args("--tls-keystore", bogus.toString(), "--tls-password", "pw"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(bogus.toString()).doesNotContain("\tat ");
  }

  @Test
  void aKeystoreWithoutItsPasswordSaysWhereThePasswordGoes() throws Exception {
    Path p12 = TestKeystore.generate(dir, "s3cret-ks");
    Cli.Result r = Cli.run(args("--tls-keystore", p12.toString()));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(p12.toString()).contains("CAMRELAY_TLS_PASSWORD").contains("--tls-password")
        .doesNotContain("\tat ");
  }

  @Test
  void seedCompatLetsTheNodeRelaysCameraAndMonitorConnectUnchanged() throws Exception {
    try (Cli.Running cmd = Cli.start(Map.of(), args("--seed-compat"))) {
      int port = cmd.relay().wsPort();
      try (TestViewer camera = TestViewer.open(port, "/", "ipcam_");
          TestViewer monitor = TestViewer.open(port, "/", "mon_")) {
        Await.until("the monitor watches the seed camera", () -> cmd.relay().camera("default")
            .map(c -> c.connected() && c.viewers() == 1).orElse(false));
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 48,
            java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg", jpeg);
        camera.send(jpeg.toByteArray());
        assertThat(monitor.nextFrame()).isEqualTo(jpeg.toByteArray());
      }
    }
  }

  @Test
  void theAdminTokenFromTheEnvironmentTurnsOnTheAdminApi() throws Exception {
    try (Cli.Running cmd = Cli.start(Map.of("CAMRELAY_ADMIN_TOKEN", "adm1n"), args())) {
      URI garage = URI.create("http://127.0.0.1:" + cmd.relay().httpPort() + "/api/cameras/garage");
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(garage)
          .PUT(HttpRequest.BodyPublishers.ofString("{\"cameraToken\": \"k3y\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      HttpResponse<String> put = http.send(HttpRequest.newBuilder(garage).header("Authorization", "Bearer adm1n")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"cameraToken\": \"k3y\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(cmd.relay().registry().specs().get("garage").cameraToken()).isEqualTo("k3y");
      assertThat(cmd.out() + cmd.err()).doesNotContain("adm1n").doesNotContain("k3y");
    }
  }
}
