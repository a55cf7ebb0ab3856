package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay started with a YAML config file follows it while running: a reload applies only what changed (other
 * cameras and their viewers stay connected), a broken file changes nothing, and the admin API writes its changes back
 * into the file atomically, whatever the concurrency.
 */
@Timeout(120)
class ConfigReloadTest {
  private static final String[] EPHEMERAL = {"--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
      "--http-port", "0", "--status-interval", "0"};
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  private Cli.Running start(Path config, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of(EPHEMERAL));
    args.addAll(List.of("--config", config.toString()));
    args.addAll(List.of(more));
    return closeLater(Cli.start(Map.of(), args.toArray(String[]::new)));
  }

  /** Replaces the file the way editors do (write a copy, rename it over), so a reader never sees half of it. */
  private void edit(Path file, String text) throws Exception {
    Path tmp = dir.resolve("edit.tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Another relay with a live camera, whose MJPEG stream the relay under test can pull. */
  private URI mjpegSource() throws Exception {
    CameraRelay source = closeLater(CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(0)
        .build());
    source.start();
    closeLater(SimulatedCamera.builder().relay("127.0.0.1", source.tcpPort()).cameraId("src").size(160, 120).fps(10)
        .build().start());
    return URI.create("http://127.0.0.1:" + source.httpPort() + "/cam/src/stream.mjpeg");
  }

  private SimulatedCamera camera(CameraRelay relay, String id, String token) {
    return closeLater(SimulatedCamera.builder().relay("127.0.0.1", relay.tcpPort()).cameraId(id).token(token)
        .size(160, 120).fps(15).build().start());
  }

  @Test
  void aReloadAddsAPullAndChangesATokenWhileOtherViewersAndCamerasStayConnected() throws Exception {
    Path config = dir.resolve("relay.yaml");
    Files.writeString(config, """
        # cameras of the house
        cameras:
          a:
            token: token-a
          c:
            token: old-c
        """);
    Cli.Running cmd = start(config);
    CameraRelay relay = cmd.relay();
    SimulatedCamera a = camera(relay, "a", "token-a");
    TestViewer viewer = closeLater(TestViewer.open(relay.wsPort(), "/cam/a"));
    viewer.nextFrame();
    SimulatedCamera oldC = camera(relay, "c", "old-c");
    Await.until("camera c is live", () -> relay.registry().state("c").orElse("").equals("live"));

    URI b = mjpegSource();
    edit(config, """
        # cameras of the house
        cameras:
          a:
            token: token-a
          b:
            pull: %s
          c:
            token: new-c
        """.formatted(b));
    assertThat(cmd.reloadConfig()).isTrue();

    Await.until("the pulled camera b is live with frames", () -> relay.registry().state("b").orElse("").equals("live")
        && relay.latestFrame("b").isPresent());
    assertThat(relay.registry().specs().get("c").cameraToken()).isEqualTo("new-c");
    Await.until("camera c with the old token is let go", () -> !relay.registry().state("c").orElse("").equals("live"));
    // The old camera learns it from the BYE on its own thread, a moment after the relay dropped it.
    Await.until("the old camera c was told why", () -> oldC.lastError() != null);
    SimulatedCamera newC = camera(relay, "c", "new-c");
    Await.until("camera c with the new token is live", newC::streaming);

    // Camera a and its viewer never noticed: the same connections, frames still coming.
    for (int i = 0; i < 5; i++) {
      viewer.nextFrame();
    }
    assertThat(viewer.isOpen()).isTrue();
    assertThat(a.connections()).isEqualTo(1);
    assertThat(relay.camera("a").orElseThrow().connected()).isTrue();
  }

  @Test
  void aBrokenFileIsReportedWithItsLineAndTheRunningConfigurationStays() throws Exception {
    Path config = dir.resolve("relay.yaml");
    Files.writeString(config, "cameras:\n  porch:\n    token: k3y\n");
    Cli.Running cmd = start(config);
    edit(config, "cameras:\n  porch:\n    token: [k3y\n");
    assertThat(cmd.reloadConfig()).isFalse();
    edit(config, "cameras:\n  porch:\n    tokn: k3y\n");
    assertThat(cmd.reloadConfig()).isFalse();
    assertThat(cmd.relay().registry().specs()).containsExactly(Map.entry("porch", CameraSpec.token("k3y")));
    edit(config, "cameras: {}\n");
    assertThat(cmd.reloadConfig()).isTrue();
    assertThat(cmd.relay().registry().specs()).isEmpty();
  }

  @Test
  void aChangedFileIsAppliedWithoutBeingAsked() throws Exception {
    Path config = dir.resolve("relay.yml");
    Files.writeString(config, "http-port: 0\ncameras:\n");
    Cli.Running cmd = start(config);
    edit(config, "http-port: 0\nws-port: 0\ncameras:\n  shed:\n    token: s3cret\n");
    Await.until("the watch applied the new camera", () -> cmd.relay().registry().specs().containsKey("shed"));
    Files.writeString(config, "http-port: 0\ncameras:\n"); // written in place this time
    Await.until("the watch removed it again", () -> cmd.relay().registry().specs().isEmpty());
  }

  @Test
  void aSymlinkedFileFollowsItsTargetBeingSwappedAndIsWrittenBackThroughTheLink() throws Exception {
    // The way a Kubernetes ConfigMap updates a mounted file: a new folder, then the link is renamed over the old one.
    Path v1 = Files.createDirectories(dir.resolve("v1"));
    Files.writeString(v1.resolve("relay.yaml"), "admin-token: adm1n\ncameras:\n");
    Path config = dir.resolve("relay.yaml");
    Files.createSymbolicLink(config, v1.resolve("relay.yaml"));
    Cli.Running cmd = start(config);
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    Files.writeString(v2.resolve("relay.yaml"), "admin-token: adm1n\ncameras:\n  shed:\n    token: s3cret\n");
    Path newLink = Files.createSymbolicLink(dir.resolve("relay.yaml.new"), v2.resolve("relay.yaml"));
    Files.move(newLink, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Await.until("the swapped-in file is applied", () -> cmd.relay().registry().specs().containsKey("shed"));

    cmd.relay().registry().put("attic", CameraSpec.token("t"));
    Await.until("the change is written into the link's target", () -> Files.readString(v2.resolve("relay.yaml")),
        text -> text.contains("attic"));
    assertThat(Files.isSymbolicLink(config)).as("the link stays a link").isTrue();
  }

  @Test
  void sighupReloadsTheFile() throws Exception {
    Path config = dir.resolve("relay.yaml");
    Files.writeString(config, "cameras:\n");
    Cli.Running cmd = start(config);
    Files.writeString(dir.resolve("other.txt"), "x"); // not the config: no reload from this
    // The watch may pick the change up as well; what matters is that the signal reloads and does not end the JVM.
    Files.writeString(config, "cameras:\n  porch:\n    token: k3y\n");
    HangUpSignal.raise();
    Await.until("SIGHUP applied the new camera", () -> cmd.relay().registry().specs().containsKey("porch"));
  }

  @Test
  void concurrentApiChangesAreAllWrittenBackIntoAFileThatStillParses() throws Exception {
    Path config = dir.resolve("relay.yaml");
    Files.writeString(config, """
        # admin API writes cameras back here
        admin-token: adm1n   # the API's token
        cameras:
          keep:
            token: k33p
        """);
    Cli.Running cmd = start(config);
    int port = cmd.relay().httpPort();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<HttpResponse<String>>> puts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String id = "cam" + i;
      puts.add(pool.submit(() -> http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/api/cameras/" + id))
          .header("Authorization", "Bearer adm1n")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"cameraToken\": \"t-" + id + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString())));
    }
    for (Future<HttpResponse<String>> f : puts) {
      assertThat(f.get().statusCode()).isEqualTo(201);
    }
    pool.shutdown();
    Await.until("every camera is in the file", () -> Files.readString(config, StandardCharsets.UTF_8), written -> {
      try {
        Map<String, CameraSpec> cameras = YamlConfigFile.parse(written, Set.of("admin-token")).cameras();
        return cameras.size() == 17 && cameras.get("cam15").equals(CameraSpec.token("t-cam15"));
      } catch (YamlConfigFile.Invalid e) {
        throw new AssertionError("the file does not parse: " + e.getMessage());
      }
    });
    String text = Files.readString(config);
    assertThat(text).contains("# admin API writes cameras back here").contains("# the API's token")
        .contains("admin-token: adm1n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("relay.yaml");
    }
    assertThat(cmd.relay().registry().specs()).hasSize(17);

    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cameras/keep"))
        .header("Authorization", "Bearer adm1n").DELETE().build(), HttpResponse.BodyHandlers.ofString());
    Await.until("the removal is written back", () -> Files.readString(config), written -> !written.contains("k33p"));
    assertThat(cmd.reloadConfig()).isTrue();
    assertThat(cmd.relay().registry().specs()).hasSize(16).doesNotContainKey("keep");
  }
}
