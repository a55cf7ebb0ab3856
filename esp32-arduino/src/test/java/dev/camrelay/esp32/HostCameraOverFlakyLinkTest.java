package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import java.awt.Color;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The firmware's client (host build) streaming to a real relay through {@link ImpairedLink}: random stalls, 200 ms
 * delay spikes, then a 10 s outage. The camera must come back by itself within its backoff, and a viewer must only
 * ever receive whole frames, byte-identical to the source files. The figures are printed (they go in the README),
 * never asserted: this machine's speed is not what is tested.
 */
class HostCameraOverFlakyLinkTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);  // only to avoid hanging: > the 30 s max backoff
  private static final String CAMERA = "flakycam";
  private static final String TOKEN = "tok-fl4ky";

  @Test
  void overAFlakyLinkTheCameraReconnectsByItselfAndViewersOnlyEverGetWholeFrames() throws Exception {
    Path frameDir = Path.of("target", "host-cam-flaky-frames").toAbsolutePath();
    List<byte[]> jpegs = HostCamera.writeJpegs(frameDir, Color.RED, Color.GREEN, Color.BLUE);
    HostCamera.build();
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
             .cameraToken(CAMERA, TOKEN).build()) {
      relay.start();
      try (ImpairedLink link = new ImpairedLink(relay.tcpPort());
           HostCamera camera = HostCamera.start("--host", "127.0.0.1", "--port", String.valueOf(link.port()),
               "--id", CAMERA, "--token", TOKEN, "--dir", frameDir.toString(), "--fps", "15")) {
        camera.awaitLine(l -> l.contains("relay: welcome (protocol v1, streaming"), GENEROUS);
        Viewer viewer = new Viewer(URI.create("ws://127.0.0.1:" + relay.wsPort() + "/cam/" + CAMERA));
        assertThat(viewer.connectBlocking(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
        try {
          int before = receiveWholeFrames(viewer, jpegs, Duration.ofSeconds(8));

          long welcomesBefore = welcomes(camera);
          link.outage(10_000);
          long outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          int during = receiveWholeFrames(viewer, jpegs, Duration.ofSeconds(10));
          camera.awaitLine(l -> welcomes(camera) > welcomesBefore, GENEROUS);
          long reconnectMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageEnd));

          int after = 0;
          long deadline = System.nanoTime() + GENEROUS.toNanos();
          while (after < 20 && System.nanoTime() < deadline) {
            after += receiveWholeFrames(viewer, jpegs, Duration.ofSeconds(1));
          }
          assertThat(before).as("frames before the outage").isPositive();
          assertThat(after).as("frames after the camera came back by itself").isGreaterThanOrEqualTo(20);
          assertThat(camera.output()).contains("relay: reconnecting in");
          System.out.printf("flaky-link figures: %d frames in 8 s of stalls (%d) and 200 ms spikes (%d); %d during the "
              + "10 s outage; camera back %d ms after the outage ended; %d frames after%n", before, link.stalls(),
              link.spikes(), during, reconnectMs, after);
        } finally {
          viewer.closeBlocking();
        }
      }
    }
  }

  private static long welcomes(HostCamera camera) {
    return camera.output().lines().filter(l -> l.contains("relay: welcome")).count();
  }

  /** Receives for {@code duration}; every frame must be one of the source files, whole. Returns how many came. */
  private static int receiveWholeFrames(Viewer viewer, List<byte[]> jpegs, Duration duration) throws Exception {
    int count = 0;
    long end = System.nanoTime() + duration.toNanos();
    for (long left; (left = end - System.nanoTime()) > 0; ) {
      byte[] frame = viewer.frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame == null) {
        continue;
      }
      assertThat(jpegs.stream().anyMatch(j -> Arrays.equals(j, frame)))
          .as("a %d-byte frame is one of the source files, whole", frame.length).isTrue();
      count++;
    }
    return count;
  }
}
