package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed relay's users' own clients — Node scripts on the {@code ws} package, token in the subprotocol — work
 * unchanged against camrelay with seed compatibility on: the camera's JPEGs reach the monitor byte for byte and the
 * monitor's text command reaches the camera as it was sent. Needs {@code node} and {@code npm} (packages nodejs, npm)
 * and the npm registry, to install {@code ws} into a temporary folder.
 */
class SeedNodeClientsTest {
  private static final String CAMERA_TOKEN = "cam-secret";
  private static final String CONTROL_TOKEN = "ctl-secret";

  @TempDir Path dir;
  private CameraRelay relay;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void aNodeCameraAndMonitorOnTheWsPackageWorkUnchanged() throws Exception {
    installWs();
    for (String script : List.of("camera.mjs", "monitor.mjs")) {
      try (InputStream in = getClass().getResourceAsStream("/seed-clients/" + script)) {
        Files.write(dir.resolve(script), in.readAllBytes());
      }
    }
    byte[] jpeg = TestJpegs.frame(7);
    Files.write(dir.resolve("frame.jpg"), jpeg);
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1).seedCompatibility(true)
        .cameraToken(CAMERA_TOKEN).controlToken(CONTROL_TOKEN).build();
    relay.start();
    String url = "ws://127.0.0.1:" + relay.wsPort() + "/";

    List<String> camera = run("node", "camera.mjs", url, CAMERA_TOKEN, "frame.jpg");
    Await.until("the Node camera connected as the default camera", () -> relay.camera("default")
        .map(CameraStats::connected).orElse(false));
    List<String> monitor = run("node", "monitor.mjs", url, CONTROL_TOKEN, "led on");

    String expected = "frame " + jpeg.length + " " + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(jpeg));
    Await.until("the monitor receives the camera's JPEG byte for byte: " + monitor,
        () -> monitor.contains(expected));
    Await.until("the camera receives the monitor's command as sent: " + camera,
        () -> camera.contains("command led on"));
    assertThat(camera).contains("open ipcam_" + CAMERA_TOKEN);
    assertThat(monitor).contains("open mon_" + CONTROL_TOKEN).noneMatch(l -> l.startsWith("error"));
  }

  private void installWs() throws Exception {
    Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix",
        dir.toString(), "ws@8").redirectErrorStream(true).start();
    String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(npm.waitFor(120, TimeUnit.SECONDS)).as("npm install ws finished").isTrue();
    assertThat(npm.exitValue()).as("npm install ws (needs nodejs, npm and the npm registry): %s", output).isZero();
  }

  /** Starts a process in the temporary folder; its output lines are collected as they come. */
  private List<String> run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    processes.add(p);
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "seed-client-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }
}
