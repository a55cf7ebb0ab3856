package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraListener;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.testing.FakeCamera;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #14: a camera that connects and disconnects over and over used to be two log lines per cycle. Its churn is
 * summarised instead, and the lines still account for every connect and end with the camera's state.
 */
@Timeout(180)
class CameraChurnLogTest {
  private static final int CYCLES = 1000;

  @Test
  void aChurningCameraIsSummarisedNotLoggedPerConnection() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1).build()) {
      relay.start();
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      relay.onCameraEvent(new CameraListener() {
        @Override
        public void onConnected(CameraStats camera) {
          events.add("connected");
        }

        @Override
        public void onDisconnected(String cameraId, String reason) {
          events.add("disconnected");
        }
      });
      try (LogCapture log = LogCapture.keeping(l -> l.contains("'flappy'"))) {
        for (int i = 0; i < CYCLES; i++) {
          try (FakeCamera camera = FakeCamera.framed(relay.tcpPort(), "flappy", null, 0)) {
            camera.awaitWelcome();
          }
          assertThat(events.poll(20, TimeUnit.SECONDS)).as("cycle %d connected", i).isEqualTo("connected");
          assertThat(events.poll(20, TimeUnit.SECONDS)).as("cycle %d disconnected", i).isEqualTo("disconnected");
        }
        List<String> lines = log.lines();
        assertThat(lines).as("log lines for %d connect/disconnect cycles", CYCLES).hasSizeLessThanOrEqualTo(20);
        assertThat(lines).anyMatch(l -> l.contains("camera 'flappy' connected (framed from 127.0.0.1:"));
        assertThat(lines).anyMatch(l -> l.contains("camera 'flappy' disconnected (framed from 127.0.0.1:"));

        // The cycles that got no line of their own are counted in a summary, at the latest one period after the
        // first line; together the lines account for every connect, and the last one says the camera is offline.
        Pattern summary = Pattern.compile("camera 'flappy' reconnected (\\d+) times? in the last \\d+ s");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
          lines = log.lines();
          long connects = 0;
          for (String l : lines) {
            Matcher m = summary.matcher(l);
            connects += m.find() ? Long.parseLong(m.group(1)) : l.contains(" connected (") ? 1 : 0;
          }
          if (connects == CYCLES) {
            break;
          }
          assertThat(System.nanoTime()).as("all %d connects accounted for in %s", CYCLES, lines).isLessThan(deadline);
          Thread.sleep(20);
        }
        assertThat(lines).hasSizeLessThanOrEqualTo(20);
        assertThat(lines.get(lines.size() - 1)).contains("reconnected").contains("now offline");
      }
    }
  }
}
