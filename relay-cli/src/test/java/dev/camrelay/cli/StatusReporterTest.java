package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status line: per camera while there are few, a summary of bounded length when there are many. */
class StatusReporterTest {
  private static CameraStats camera(String id, boolean connected, double fps, int viewers, long dropped) {
    return new CameraStats(id, connected, "framed", "10.0.0.1:4000", 640, 480, false, fps, 800, viewers,
        1000, dropped, 20, false, false, connected);
  }

  private static String line(List<CameraStats> cameras) {
    try (StatusReporter status = new StatusReporter(null, new PrintWriter(new StringWriter()), false,
        Duration.ofSeconds(5))) {
      return status.line(cameras);
    }
  }

  @Test
  void fewCamerasAreShownOneByOne() {
    String line = line(List.of(camera("porch", true, 29.97, 1, 0), camera("garage", true, 10, 3, 0),
        camera("attic", false, 0, 0, 0)));
    assertThat(line).isEqualTo("porch 640x480 30.0 fps in, 1 viewer | garage 640x480 10.0 fps in, 3 viewers");
  }

  @Test
  void manyCamerasAreSummarisedInOneShortLine() {
    List<CameraStats> cameras = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean live = i >= 5;
      int viewers = i == 42 ? 120 : i == 7 ? 80 : i == 199 ? 40 : live ? 3 : 0;
      cameras.add(camera("camera-" + i, live, live ? 30 : 0, viewers, 0));
    }
    String line = line(cameras);
    assertThat(line).as("the status line for 200 cameras").hasSizeLessThan(300)
        .startsWith("200 cameras (195 live, 5 offline), 816 viewers, 5,850 fps in")
        .contains("camera-42 120").contains("camera-7 80").contains("camera-199 40")
        .doesNotContain("camera-100");
  }

  @Test
  void droppedFramesSinceTheLastLineAreCountedInTheSummary() {
    try (StatusReporter status = new StatusReporter(null, new PrintWriter(new StringWriter()), false,
        Duration.ofSeconds(5))) {
      List<CameraStats> before = new ArrayList<>();
      List<CameraStats> after = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        before.add(camera("c" + i, true, 10, 1, 100));
        after.add(camera("c" + i, true, 10, 1, i == 3 ? 107 : 100));
      }
      assertThat(status.line(before)).doesNotContain("dropped");
      assertThat(status.line(after)).contains("7 dropped");
    }
  }

  @Test
  void inALogALineIsWrittenOnlyWhenSomethingChangedNotablyOrAHeartbeatIsDue() {
    try (StatusReporter status = new StatusReporter(null, new PrintWriter(new StringWriter()), false,
        Duration.ofSeconds(5))) {
      long t = 1_000_000_000L;
      long tick = Duration.ofSeconds(5).toNanos();
      assertThat(status.nextLogLine(List.of(), t)).as("nothing connected at start").isNull();
      assertThat(status.nextLogLine(List.of(camera("porch", true, 30, 1, 0)), t += tick)).startsWith("porch");
      assertThat(status.nextLogLine(List.of(camera("porch", true, 30, 1, 0)), t += tick)).as("unchanged").isNull();
      assertThat(status.nextLogLine(List.of(camera("porch", true, 29.2, 1, 0)), t += tick)).as("fps jitter").isNull();
      assertThat(status.nextLogLine(List.of(camera("porch", true, 29.2, 2, 0)), t += tick)).contains("2 viewers");
      assertThat(status.nextLogLine(List.of(camera("porch", true, 15, 2, 0)), t += tick)).contains("15.0 fps");
      assertThat(status.nextLogLine(List.of(camera("porch", true, 15, 2, 3)), t += tick)).contains("3 dropped");
      assertThat(status.nextLogLine(List.of(camera("porch", true, 15, 2, 3)), t += tick)).isNull();
      assertThat(status.nextLogLine(List.of(camera("porch", true, 15, 2, 3),
          camera("garage", true, 10, 0, 0)), t += tick)).as("a camera came").contains("garage");
      assertThat(status.nextLogLine(List.of(camera("porch", true, 15, 2, 3),
          camera("garage", true, 10, 0, 0)), t += StatusReporter.HEARTBEAT.toNanos())).as("heartbeat").isNotNull();
      assertThat(status.nextLogLine(List.of(camera("porch", false, 0, 0, 3),
          camera("garage", false, 0, 0, 0)), t += tick)).isEqualTo("no camera connected");
      assertThat(status.nextLogLine(List.of(), t += StatusReporter.HEARTBEAT.toNanos())).as("no heartbeat when idle")
          .isNull();
    }
  }
}
