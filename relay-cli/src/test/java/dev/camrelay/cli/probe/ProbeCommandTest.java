package dev.camrelay.cli.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.Cli;
import dev.camrelay.cli.TestKeystore;
import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.relay.CameraRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class ProbeCommandTest {
  @TempDir Path dir;

  @Test
  void probeOverWebSocketPrintsFrameInfoAndSavesValidJpegs() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      try (SimulatedCamera cam = SimulatedCamera.builder().relay("127.0.0.1", relay.tcpPort()).fps(20)
          .size(320, 240).build().start()) {
        Path save = dir.resolve("frames");
        Cli.Result r = Cli.run("probe", "ws://127.0.0.1:" + relay.wsPort() + "/", "--count", "4", "--save",
            save.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("#1").contains("#4").contains("320x240").contains("baseline")
            .contains("4 frames");
        List<Path> files;
        try (Stream<Path> s = Files.list(save)) {
          files = s.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
            .containsExactly("frame-00001.jpg", "frame-00002.jpg", "frame-00003.jpg", "frame-00004.jpg");
        for (Path f : files) {
          assertThat(JpegInfo.of(JpegFrame.parse(Files.readAllBytes(f))).width()).isEqualTo(320);
        }
      }
    }
  }

  @Test
  void probeOverHttpMjpegAndSnapshotReadsValidFrames() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0).build()) {
      relay.start();
      try (SimulatedCamera cam = SimulatedCamera.builder().relay("127.0.0.1", relay.tcpPort()).cameraId("yard")
          .fps(20).size(176, 144).build().start()) {
        Path save = dir.resolve("mjpeg");
        Cli.Result r = Cli.run("probe", "http://127.0.0.1:" + relay.httpPort() + "/cam/yard/stream.mjpeg",
            "--count", "3", "--save", save.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("176x144").contains("3 frames");
        try (Stream<Path> s = Files.list(save)) {
          for (Path f : s.toList()) {
            assertThat(JpegInfo.of(JpegFrame.parse(Files.readAllBytes(f))).height()).isEqualTo(144);
          }
        }
        Cli.Result snap = Cli.run("probe", "http://127.0.0.1:" + relay.httpPort() + "/cam/yard/snapshot.jpg",
            "--count", "1");
        assertThat(snap.exitCode()).as(snap.err()).isZero();
        assertThat(snap.out()).contains("176x144").contains("1 frame");
      }
    }
  }

  @Test
  void probeRefusedByTheRelaySaysWhy() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
        .viewerToken("s3cret").build()) {
      relay.start();
      Cli.Result r = Cli.run("probe", "ws://127.0.0.1:" + relay.wsPort() + "/", "--count", "1");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("401");
      Cli.Result wrong = Cli.run("probe", "ws://127.0.0.1:" + relay.wsPort() + "/", "--count", "1", "--token",
          "nope-token", "--timeout", "2");
      assertThat(wrong.err()).contains("401").doesNotContain("nope-token");
    }
  }

  @Test
  void badUrlIsAUsageError() {
    Cli.Result r = Cli.run("probe", "ftp://x/");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("ws://, wss://, http:// or https://");
  }

  private CameraRelay tlsRelay(String viewerToken) throws Exception {
    CameraRelay.Builder b = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(0)
        .tls(TestKeystore.generateWithoutHostNames(dir, "s3cret-ks"), "s3cret-ks".toCharArray());
    if (viewerToken != null) {
      b.viewerToken(viewerToken);
    }
    CameraRelay relay = b.build();
    relay.start();
    return relay;
  }

  @Test
  void anUntrustedCertificateSuggestsInsecure() throws Exception {
    try (CameraRelay relay = tlsRelay(null)) {
      for (String url : List.of("wss://127.0.0.1:" + relay.wsPort() + "/",
          "https://127.0.0.1:" + relay.httpPort() + "/cam/default/stream.mjpeg")) {
        Cli.Result r = Cli.run("probe", url, "--count", "1", "--timeout", "5");
        assertThat(r.exitCode()).as(url).isEqualTo(1);
        assertThat(r.err()).as(url).contains("certificate is not trusted").contains("--insecure")
            .doesNotContain("PKIX");
      }
    }
  }

  @Test
  void plainWebSocketAgainstATlsRelaySuggestsWss() throws Exception {
    try (CameraRelay relay = tlsRelay(null)) {
      Cli.Result r = Cli.run("probe", "ws://127.0.0.1:" + relay.wsPort() + "/", "--count", "1", "--timeout", "5");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("wss://127.0.0.1:" + relay.wsPort() + "/");
    }
  }

  @Test
  void aRefusedConnectionNamesTheAddress() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    for (String url : List.of("ws://127.0.0.1:" + port + "/", "http://127.0.0.1:" + port + "/cam/x/stream.mjpeg")) {
      Cli.Result r = Cli.run("probe", url, "--count", "1", "--timeout", "5");
      assertThat(r.exitCode()).as(url).isEqualTo(1);
      assertThat(r.err()).as(url).contains("127.0.0.1:" + port).contains("connection refused")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aViewerTokenRefusalSaysOnceToAddTokenOnEveryScheme() throws Exception {
    try (CameraRelay relay = tlsRelay("s3cret")) {
      for (String url : List.of("wss://127.0.0.1:" + relay.wsPort() + "/",
          "https://127.0.0.1:" + relay.httpPort() + "/cam/default/stream.mjpeg")) {
        Cli.Result r = Cli.run("probe", url, "--count", "1", "--timeout", "5", "--insecure");
        assertThat(r.exitCode()).as(url).isEqualTo(1);
        assertThat(r.err()).as(url).contains("401").contains("--token");
        assertThat(r.err().split("token", -1)).as(url + ": " + r.err()).hasSizeLessThanOrEqualTo(3);
        Cli.Result wrong = Cli.run("probe", url, "--count", "1", "--timeout", "5", "--insecure", "--token",
            "nope-token");
        assertThat(wrong.err()).as(url).contains("401").contains("refused").doesNotContain("nope-token");
      }
    }
  }

  @Test
  void theRateIsTimedFromTheSecondFrameBecauseTheFirstIsTheRelaysCachedOne() {
    long ms = 1_000_000L;
    // five frames of a 15 fps camera: the cached one at connect, the next 1 ms later, then every 66.7 ms
    long second = 1 * ms;
    long last = second + 3 * 66_667_000L;
    assertThat(ProbeCommand.rate(5, second, last)).isCloseTo(15.0, org.assertj.core.data.Offset.offset(0.1));
    assertThat(ProbeCommand.rate(2, second, second)).isZero();
  }
}
