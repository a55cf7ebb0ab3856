package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A camera flooding update events (valid ones in every state, unknown states, non-JSON, deeply nested JSON) cannot
 * flood the log: at most one line per camera and state a second, no stack trace; the camera stays connected.
 */
@Timeout(120)
class FirmwareEventFloodTest {
  private static final String[] STATES = {"downloading", "failed", "rebooting", "confirmed", "rolled-back"};
  private static final int EVENTS = 5000;

  @Test
  void floodedEventsAreLoggedAtMostOncePerStateAndSecondWithoutStackTraces() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1).build();
        LogCapture log = LogCapture.keeping(l -> l.contains("firmware") || l.contains("event"))) {
      relay.start();
      try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "flood", null, Hello.CONTROL)
          .answerControl(json -> "{\"ok\":true}")) {
        cam.awaitWelcome();
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
          String json = switch (i % 8) {
            case 5 -> "{\"event\":\"ota\",\"state\":\"exploded\"}";
            case 6 -> "{\"event\": not json";
            case 7 -> "{\"event\":\"ota\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
            default -> "{\"event\":\"ota\",\"state\":\"" + STATES[i % 8] + "\",\"error\":\"e" + i + "\"}";
          };
          cam.send(Message.control(0, json, false));
        }
        cam.send(Message.control(0, "{\"event\":\"ota\",\"state\":\"confirmed\",\"version\":\"last\"}", false));
        assertThat(relay.control("flood", "{\"cmd\":\"status\"}").get(30, TimeUnit.SECONDS))
            .as("still connected and answering after the flood").isEqualTo("{\"ok\":true}");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;

        List<String> lines = log.linesContaining("camera 'flood'");
        // Per second at most: one line per state, one for bad events, one for non-JSON events.
        assertThat(lines).as("log lines for %d events in about %d s", EVENTS, seconds)
            .hasSizeLessThanOrEqualTo((int) (seconds * (STATES.length + 2)) + STATES.length + 2);
        assertThat(log.stackTraceLines()).isZero();
      }
    }
  }
}
