package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames are written to viewers from two places (the publishing thread when the viewer keeps up, the selector thread
 * when its socket is full) while the library queues text and control frames of its own: a viewer must still receive
 * whole WebSocket messages, never bytes of two messages mixed.
 */
class FrameAndTextOrderTest {
  private static final int FRAMES = 40;
  private static final List<byte[]> BIG = new ArrayList<>();
  private static final Map<ByteBuffer, Integer> INDEX = new HashMap<>();
  /** Published once after all the others, so a reader knows it has seen the end. */
  private static final byte[] LAST = TestJpegs.frame(4242);

  private CameraRelay relay;

  @BeforeAll
  static void frames() {
    for (int i = 0; i < FRAMES; i++) {
      byte[] f = TestJpegs.bigFrame(1000 + i, 320, 240);
      BIG.add(f);
      INDEX.put(ByteBuffer.wrap(f), i);
    }
    INDEX.put(ByteBuffer.wrap(LAST), FRAMES);
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void slowReadingV1ViewerGetsWholeFramesAndWholeTextsWhileAFastViewerGetsIntactFrames() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1).build();
    relay.start();
    relay.publish("o", BIG.get(0));
    ViewerClient fast = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/o");
    try (RawWs slow = RawWs.open(relay.wsPort(), "/cam/o", Map.of("Sec-WebSocket-Protocol", "camrelay.v1"), 4096)) {
      assertThat(slow.statusLine).contains("101");
      AtomicReference<Throwable> publishFailure = new AtomicReference<>();
      Thread camera = new Thread(() -> {
        try {
          for (int round = 0; round < 3; round++) {
            for (byte[] f : BIG) {
              relay.publish("o", f);
              Thread.sleep(3);
            }
          }
          relay.publish("o", LAST);
        } catch (Throwable t) {
          publishFailure.set(t);
        }
      }, "test-camera");
      camera.start();

      int binaries = 0;
      int controlsSent = 0;
      int replies = 0;
      Set<String> textTypes = new java.util.TreeSet<>();
      while (true) {
        RawWs.Frame m = slow.readFrame(); // throws after 10 s without data: nothing may hang
        if (m.opcode() == 2) {
          Integer index = INDEX.get(ByteBuffer.wrap(m.payload()));
          assertThat(index).as("binary message %d is one whole published JPEG", binaries).isNotNull();
          binaries++;
          if (binaries % 3 == 0) {
            slow.sendText("{\"type\":\"control\",\"id\":" + (++controlsSent) + ",\"command\":{\"cmd\":\"status\"}}");
          }
          if (index == FRAMES) {
            break; // the camera's last frame
          }
          Thread.sleep(10); // a slow reader: the relay's socket to it fills up
        } else if (m.opcode() == 1) {
          JsonObject json = JsonParser.parseString(new String(m.payload(), StandardCharsets.UTF_8)).getAsJsonObject();
          textTypes.add(json.get("type").getAsString());
          if ("control-reply".equals(json.get("type").getAsString())) {
            replies++;
          }
        } else {
          throw new AssertionError("unexpected opcode " + m.opcode());
        }
      }
      camera.join(10_000);
      assertThat(publishFailure.get()).isNull();
      assertThat(textTypes).contains("hello").isSubsetOf("hello", "status", "control-reply");
      assertThat(controlsSent).isGreaterThan(0);
      assertThat(replies).isGreaterThan(0);

      int last = -1;
      while (last != FRAMES) {
        byte[] f = fast.nextFrame();
        Integer index = INDEX.get(ByteBuffer.wrap(f));
        assertThat(index).as("the fast viewer's frame is one whole published JPEG").isNotNull();
        last = index;
      }
      fast.closeBlocking();
    }
  }
}
