package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.MjpegStreamClient;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Viewers that read as fast as loopback allows get (nearly) every frame of a camera sending megabyte JPEGs: the
 * per-viewer send buffer must not cap a fast viewer at a couple of frames per second (it did at a fixed 32 KiB: about
 * one 2 MB frame per second).
 */
class LargeFramesTest {
  private static final int PUBLISHED = 60;
  private static final List<byte[]> FRAMES = new ArrayList<>();

  private CameraRelay relay;

  @BeforeAll
  static void frames() {
    for (int i = 0; i < 4; i++) {
      FRAMES.add(TestJpegs.bigFrame(i, 1800, 1250)); // noise: about 2 MB each
    }
    assertThat(FRAMES.get(0).length).isGreaterThan(1_500_000);
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void webSocketAndMjpegViewersOnLoopbackReceiveMostOfFifteenTwoMegabyteFramesPerSecond() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(0).build();
    relay.start();
    ViewerClient ws = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/big");
    AtomicInteger mjpegParts = new AtomicInteger();
    try (MjpegStreamClient mjpeg = MjpegStreamClient.open(relay.httpPort(), "big", 4 * 1024 * 1024)) {
      Thread reader = new Thread(() -> {
        try {
          while (true) {
            mjpeg.nextPart(Duration.ofSeconds(30));
            mjpegParts.incrementAndGet();
          }
        } catch (Exception e) {
          // closed at the end of the test
        }
      }, "mjpeg-reader");
      reader.setDaemon(true);
      reader.start();

      int wsFrames = 0;
      long next = System.nanoTime();
      for (int i = 0; i < PUBLISHED; i++) {
        relay.publish("big", FRAMES.get(i % FRAMES.size()));
        next += TimeUnit.MILLISECONDS.toNanos(1000 / 15);
        while (System.nanoTime() < next) {
          if (ws.frames.poll(Math.max(1, (next - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS) != null) {
            wsFrames++;
          }
        }
      }
      // Frames still on their way; newest wins, so at most one or two more arrive.
      while (ws.frames.poll(2, TimeUnit.SECONDS) != null) {
        wsFrames++;
      }
      // At a fixed 32 KiB send buffer each viewer got about 4-6 of these 60 frames; now it gets nearly all of them.
      String counts = "of " + PUBLISHED + " frames, WebSocket got " + wsFrames + ", MJPEG " + mjpegParts.get();
      assertThat(wsFrames).as(counts).isGreaterThanOrEqualTo(20);
      assertThat(mjpegParts.get()).as(counts).isGreaterThanOrEqualTo(20);
    } finally {
      ws.closeBlocking();
    }
  }
}
