package dev.camrelay.relay.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.testing.TestJpegs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading recordings by wall-clock time, over segments written with chosen frame times. */
class RecordingStoreTest {
  private static final long T0 = 1_764_000_000_000_000L;
  private static final long SECOND = 1_000_000;

  @TempDir Path dir;

  @Test
  void aPauseLongerThanTheGapSplitsRangesAndNothingIsFoundInIt() throws Exception {
    RecordingStore store = new RecordingStore(dir);
    // 10 fps for 1 s, silence for 10 s, 10 fps for 1 s: one segment.
    SegmentWriter w = null;
    for (int i = 0; i < 20; i++) {
      long t = T0 + (i < 10 ? i * SECOND / 10 : 11 * SECOND + (i - 10) * SECOND / 10);
      CameraFrame f = frame("gap", i, t);
      if (w == null) {
        w = SegmentWriter.open(store, FileOpener.DEFAULT, f, AviWriter.DEFAULT_RIFF_LIMIT);
      }
      w.write(f);
    }
    w.flush(false);

    assertThat(store.segments("gap")).singleElement().satisfies(s -> {
      assertThat(s.recording()).isTrue();
      assertThat(s.frames()).isEqualTo(20);
    });
    assertThat(store.ranges("gap")).containsExactly(new TimeRange(T0, T0 + 900_000),
        new TimeRange(T0 + 11 * SECOND, T0 + 11_900_000));
    assertThat(store.nearest("gap", T0 + 5 * SECOND)).as("in the pause").isEmpty();
    assertThat(store.nearest("gap", T0 + 860_000)).get()
        .satisfies(r -> assertThat(r.epochMicros()).isEqualTo(T0 + 900_000));
    assertThat(store.nearest("gap", T0 + 11 * SECOND + 160_000)).get()
        .satisfies(r -> assertThat(r.epochMicros()).isEqualTo(T0 + 11 * SECOND + 200_000));
    w.close();
    assertThat(store.segments("gap").get(0).recording()).isFalse();
  }

  @Test
  void framesAreReadInTimeOrderAcrossSegmentsWithinTheAskedWindow() throws Exception {
    RecordingStore store = new RecordingStore(dir);
    for (int seg = 0; seg < 3; seg++) {
      SegmentWriter w = null;
      for (int i = 0; i < 10; i++) {
        int n = seg * 10 + i;
        CameraFrame f = frame("cam", n, T0 + n * 100_000L);
        if (w == null) {
          w = SegmentWriter.open(store, FileOpener.DEFAULT, f, AviWriter.DEFAULT_RIFF_LIMIT);
        }
        w.write(f);
      }
      w.close();
    }
    assertThat(store.segments("cam")).hasSize(3);
    assertThat(store.ranges("cam")).containsExactly(new TimeRange(T0, T0 + 2_900_000));
    List<Long> times = new ArrayList<>();
    List<byte[]> jpegs = new ArrayList<>();
    try (FrameCursor c = store.frames("cam", T0 + 850_000, T0 + 2_100_000)) {
      c.forEachRemaining(r -> {
        times.add(r.epochMicros());
        jpegs.add(r.jpeg());
      });
    }
    assertThat(times).as("0.9 s to 2.1 s, both ends in").hasSize(13).isSorted().first().isEqualTo(T0 + 900_000);
    assertThat(times.get(12)).isEqualTo(T0 + 2_100_000);
    for (int i = 0; i < 13; i++) {
      assertThat(jpegs.get(i)).isEqualTo(TestJpegs.frame(9 + i));
    }
  }

  private static CameraFrame frame(String camera, int n, long micros) throws Exception {
    return new CameraFrame(camera, JpegFrame.parse(TestJpegs.frame(n)), n, micros, micros, 160, 120);
  }
}
