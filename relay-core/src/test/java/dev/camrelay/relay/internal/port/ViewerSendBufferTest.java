package dev.camrelay.relay.internal.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewerSendBufferTest {
  private static final long MS = 1_000_000L;
  private static final int CAP = 4 << 20;
  private final List<Integer> applied = new ArrayList<>();
  private long now;

  /** One frame that fills the socket and then drains at {@code bytesPerSecond} for {@code millis}. */
  private void backlog(ViewerSendBuffer b, long bytesPerSecond, long millis) {
    b.wrote(now, 64 * 1024, true);
    for (int i = 1; i <= millis; i++) {
      b.wrote(now + i * MS, bytesPerSecond / 1000, i < millis);
    }
    now += (millis + 5) * MS; // a pause with nothing to write: not counted
  }

  @Test
  void startsAtThirtyTwoKibibytesAndKeepsItWhileTheViewerKeepsUp() {
    ViewerSendBuffer b = new ViewerSendBuffer(CAP, applied::add);
    for (int i = 0; i < 100; i++) {
      b.wrote(i * 33 * MS, 35_000, false);
    }
    assertThat(applied).containsExactly(32 * 1024);
  }

  @Test
  void aFastViewerDoublesItEveryHundredFullMillisecondsUpToAHundredMillisecondsOfItsRate() {
    ViewerSendBuffer b = new ViewerSendBuffer(CAP, applied::add);
    for (int i = 0; i < 40; i++) {
      backlog(b, 5_000_000, 10); // 5 MB/s while full: 500 kB in 100 ms
    }
    assertThat(applied).containsExactly(32 * 1024, 64 * 1024, 128 * 1024, 256 * 1024, 500_000);
  }

  @Test
  void aSlowLinkShrinksItToAHundredMillisecondsOfItsRateAtMostHalfPerStep() {
    ViewerSendBuffer b = new ViewerSendBuffer(CAP, applied::add);
    for (int i = 0; i < 100; i++) {
      backlog(b, 100_000_000, 10);
    }
    assertThat(b.size()).isEqualTo(CAP);
    applied.clear();
    for (int i = 0; i < 20; i++) {
      backlog(b, 500_000, 60); // 500 kB/s
    }
    assertThat(applied.subList(0, 2)).containsExactly(CAP / 2, CAP / 4);
    assertThat(b.size()).isEqualTo(50_000);
  }

  @Test
  void aReaderThatPausesAndThenDrainsInABurstIsMeasuredAtItsAverageRate() {
    ViewerSendBuffer b = new ViewerSendBuffer(CAP, applied::add);
    for (int i = 0; i < 20; i++) {
      b.wrote(now, 64 * 1024, true);
      b.wrote(now + 50 * MS, 0, true); // not reading for 50 ms
      b.wrote(now + 51 * MS, 30_000, false); // then 30 kB at once (30 MB/s for that millisecond)
      now += 60 * MS;
    }
    assertThat(b.size()).isEqualTo(58_823); // 100 ms of 30 kB per 51 ms, not of 30 MB/s
  }

  @Test
  void aCapAtOrBelowTheFloorFixesTheSize() {
    ViewerSendBuffer b = new ViewerSendBuffer(16 * 1024, applied::add);
    for (int i = 0; i < 20; i++) {
      backlog(b, 100_000_000, 10);
    }
    assertThat(applied).containsExactly(16 * 1024);
  }
}
