package dev.camrelay.relay.internal.clips;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.testing.TestJpegs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pre-event ring keeps the last seconds of a camera, fewer when its frames are large, and hands on new ones. */
class PreEventRingTest {
  private static final long SECOND = 1_000_000;

  private static CameraFrame frame(int n, long receivedMicros) throws Exception {
    return new CameraFrame("cam", JpegFrame.parse(TestJpegs.frame(n)), n, receivedMicros, receivedMicros, 160, 120);
  }

  @Test
  void itKeepsOnlyTheLastSecondsAskedFor() throws Exception {
    PreEventRing ring = new PreEventRing("cam", 2 * SECOND, Long.MAX_VALUE, () -> { });
    for (int i = 0; i < 50; i++) {
      ring.onFrame(frame(i, i * SECOND / 10)); // 10 fps for 5 s
    }
    List<CameraFrame> kept = ring.follow(0, f -> { });
    assertThat(kept).extracting(CameraFrame::sequence).first().isEqualTo(29L); // 2.9 s .. 4.9 s
    assertThat(kept).hasSize(21);
  }

  @Test
  void largeFramesKeepFewerSecondsWithinTheByteBound() throws Exception {
    int size = frame(0, 0).size();
    PreEventRing ring = new PreEventRing("cam", 60 * SECOND, 5L * size + size / 2, () -> { });
    for (int i = 0; i < 20; i++) {
      ring.onFrame(frame(0, i * SECOND / 10));
    }
    assertThat(ring.held()[0]).isEqualTo(5);
    assertThat(ring.held()[1]).isLessThanOrEqualTo(5L * size + size / 2);
  }

  @Test
  void aFollowerGetsTheRingSinceItsTimeThenEveryNewFrameOnce() throws Exception {
    PreEventRing ring = new PreEventRing("cam", 10 * SECOND, Long.MAX_VALUE, () -> { });
    for (int i = 0; i < 10; i++) {
      ring.onFrame(frame(i, i * SECOND));
    }
    List<Long> seen = new ArrayList<>();
    java.util.function.Consumer<CameraFrame> follower = f -> seen.add(f.sequence());
    ring.follow(7 * SECOND, follower).forEach(follower);
    ring.onFrame(frame(10, 10 * SECOND));
    ring.unfollow(follower);
    ring.onFrame(frame(11, 11 * SECOND));
    assertThat(seen).containsExactly(7L, 8L, 9L, 10L);
  }
}
