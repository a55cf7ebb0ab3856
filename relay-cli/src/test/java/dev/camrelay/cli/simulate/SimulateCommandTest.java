package dev.camrelay.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.Cli;
import dev.camrelay.cli.TestViewer;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.relay.CameraRelay;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void simulateStreamsToARelayAndAViewerReceivesTheFrames() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      try (TestViewer viewer = TestViewer.open(relay.wsPort(), "/cam/sim1")) {
        Cli.Running sim = Cli.background("simulate", "--relay", "127.0.0.1:" + relay.tcpPort(), "--camera-id",
            "sim1", "--fps", "25", "--size", "352x288", "--quality", "20");
        for (int i = 0; i < 5; i++) {
          JpegInfo info = JpegInfo.of(JpegFrame.parse(viewer.nextFrame()));
          assertThat(info.width()).isEqualTo(352);
          assertThat(info.height()).isEqualTo(288);
        }
        Cli.Result r = sim.stop();
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Simulating camera 'sim1' -> 127.0.0.1:" + relay.tcpPort() + " (framed)")
            .containsPattern("Sent \\d+ frames").contains("1 connection");
      }
    }
  }

  @Test
  void simulateReplaysAFolderOfJpegsOverRawTcp() throws Exception {
    byte[] a = SimulatedCamera.testPatternFrames(1, 200, 100, 10).get(0);
    Files.write(dir.resolve("a.jpg"), a);
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      try (TestViewer viewer = TestViewer.open(relay.wsPort(), "/")) {
        Cli.Running sim = Cli.background("simulate", "--relay", "127.0.0.1:" + relay.tcpPort(), "--raw",
            "--frames", dir.toString(), "--fps", "20");
        assertThat(viewer.nextFrame()).isEqualTo(a);
        assertThat(viewer.nextFrame()).isEqualTo(a);
        assertThat(sim.stop().exitCode()).isZero();
      }
    }
  }

  @Test
  void unreachableRelayEndsWithExit1AndSaysWhy() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Cli.Result r = Cli.run("simulate", "--relay", "127.0.0.1:" + port, "--seconds", "1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("could not connect to the relay at 127.0.0.1:" + port)
        .contains("connection refused");
  }

  @Test
  void folderWithoutJpegsIsNamed() {
    Cli.Result r = Cli.run("simulate", "--frames", dir.toString(), "--seconds", "1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("frames folder " + dir + " has no .jpg");
  }

  @Test
  void rawModeWithATokenIsAUsageError() {
    Cli.Result r = Cli.run("simulate", "--raw", "--token", "x");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("need the framed protocol");
    r = Cli.run("simulate", "--raw", "--raw-per-frame");
    assertThat(r.exitCode()).isEqualTo(2);
  }
}
