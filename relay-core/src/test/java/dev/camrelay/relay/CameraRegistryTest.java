package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.TestJpegs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The camera registry bounds what costs resources, and strangers cannot fill it: cameras that went away make room
 * for new ones (oldest first), and a camera that proves its token is never refused because of tokenless ones.
 */
class CameraRegistryTest {
  private static final int LIMIT = 8;
  private CameraRelay relay;

  private void start(CameraRelay.Builder b) throws Exception {
    relay = b.bind("127.0.0.1").wsPort(-1).httpPort(-1).tcpPort(0).maxCameras(LIMIT).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  /** Connects a framed camera and waits for WELCOME; the caller closes it. */
  private FakeCamera connect(String id, String token) throws Exception {
    FakeCamera cam = FakeCamera.framed(relay.tcpPort(), id, token, 0);
    cam.awaitWelcome();
    return cam;
  }

  private void connectAndLeave(String id) throws Exception {
    try (FakeCamera cam = connect(id, null)) {
      cam.sendFrame(TestJpegs.frame(1));
      Await.until("camera " + id + " shows a frame", () -> relay.camera(id).map(c -> c.framesIn() == 1)
          .orElse(false));
    }
    Await.until("camera " + id + " is offline", () -> relay.camera(id).map(c -> !c.connected()).orElse(true));
  }

  @Test
  void camerasThatWentAwayMakeRoomForNewOnesOldestFirst() throws Exception {
    start(CameraRelay.builder());
    for (int i = 0; i < LIMIT * 3; i++) {
      connectAndLeave("throwaway-" + i);
    }
    // Far more ids than the limit came and went: every one got in, and the registry holds at most the limit.
    assertThat(relay.cameras()).hasSizeLessThanOrEqualTo(LIMIT);
    assertThat(relay.camera("throwaway-" + (LIMIT * 3 - 1))).isPresent();
    assertThat(relay.camera("throwaway-0")).as("the oldest offline camera went first").isEmpty();
    try (FakeCamera late = connect("late", null)) {
      assertThat(relay.camera("late").orElseThrow().connected()).isTrue();
    }
  }

  @Test
  void aCameraWithItsTokenGetsInWhenStrangersHoldEveryPlace() throws Exception {
    start(CameraRelay.builder().cameraToken("garage", "k3y").allowUnknownCameras(true));
    List<FakeCamera> strangers = new ArrayList<>();
    try {
      for (int i = 0; i < LIMIT; i++) {
        strangers.add(connect("stranger-" + i, null)); // connected: they cannot simply be forgotten
      }
      FakeCamera refused = FakeCamera.framed(relay.tcpPort(), "one-too-many", null, 0);
      Reason why = refused.awaitClose(MessageType.ERROR);
      assertThat(why.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      refused.close();

      try (FakeCamera garage = connect("garage", "k3y")) {
        assertThat(relay.camera("garage").orElseThrow().connected()).isTrue();
        assertThat(relay.cameras()).hasSizeLessThanOrEqualTo(LIMIT);
        // The stranger that made room was told why.
        Await.until("a stranger was told to make room", () -> strangers.stream()
            .anyMatch(s -> s.received.stream().anyMatch(m -> m.type() == MessageType.BYE)));
      }
    } finally {
      for (FakeCamera s : strangers) {
        s.close();
      }
    }
  }
}
