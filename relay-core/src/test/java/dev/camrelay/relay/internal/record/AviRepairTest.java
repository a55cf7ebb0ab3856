package dev.camrelay.relay.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.testing.TestJpegs;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes simulated by copying a segment while it is being written (what the disk holds when the process is killed)
 * and cutting it at awkward places; the repair must leave files the real tools decode.
 */
class AviRepairTest {
  private static final long T0 = 1_764_000_000_000_000L;

  @TempDir Path dir;
  private final List<CameraFrame> frames = new ArrayList<>();

  @BeforeAll
  static void tools() {
    AviTools.assumeInstalled();
  }

  @Test
  void aSegmentCutInTheMiddleOfAFrameKeepsEveryCompleteFrame() throws Exception {
    Path crashed = crashCopy(30, AviWriter.DEFAULT_RIFF_LIMIT);
    FrameTimes.Entry e25 = entry(crashed, 24);
    truncate(crashed, e25.offset() + e25.size() / 2);

    AviRepair.Result r = AviRepair.repair(crashed, FileOpener.DEFAULT);

    assertThat(r.outcome()).isEqualTo(AviRepair.Outcome.REPAIRED);
    assertThat(r.framesKept()).isEqualTo(24);
    assertDecodesWithTheFirst(crashed, 24);
  }

  @Test
  void aTornLastTimeRecordIsDroppedWithItsFrame() throws Exception {
    Path crashed = crashCopy(12, AviWriter.DEFAULT_RIFF_LIMIT);
    Path times = FrameTimes.sidecarOf(crashed);
    truncate(times, Files.size(times) - FrameTimes.RECORD_BYTES / 2);

    assertThat(AviRepair.repair(crashed, FileOpener.DEFAULT).framesKept()).isEqualTo(11);
    assertDecodesWithTheFirst(crashed, 11);
  }

  @Test
  void aSegmentSpanningSeveralRiffsIsRepairedThroughItsOpenDmlIndex() throws Exception {
    Path crashed = crashCopy(200, 64 * 1024);
    FrameTimes.Entry last = entry(crashed, 199);
    truncate(crashed, last.offset() + 3);

    assertThat(AviRepair.repair(crashed, FileOpener.DEFAULT).framesKept()).isEqualTo(199);
    assertDecodesWithTheFirst(crashed, 199);
  }

  @Test
  void aCrashJustAfterARiffWasClosedReopensThatRiff() throws Exception {
    Path crashed = crashCopy(200, 64 * 1024);
    // Find the first frame of the second RIFF: its chunk follows the first RIFF's ix00 and idx1.
    int firstOfSecond = 1;
    while (entry(crashed, firstOfSecond).offset() - entry(crashed, firstOfSecond - 1).offset()
        < entry(crashed, firstOfSecond - 1).size() + 100) {
      firstOfSecond++;
    }
    FrameTimes.Entry lastOfFirst = entry(crashed, firstOfSecond - 1);
    // Cut inside the first RIFF's index, before the AVIX: the sidecar points at frames that are gone.
    truncate(crashed, lastOfFirst.offset() + lastOfFirst.size() + 20);

    assertThat(AviRepair.repair(crashed, FileOpener.DEFAULT).framesKept()).isEqualTo(firstOfSecond);
    assertDecodesWithTheFirst(crashed, firstOfSecond);
  }

  @Test
  void aFinishedSegmentIsLeftAlone() throws Exception {
    Path file = segment(10, AviWriter.DEFAULT_RIFF_LIMIT, true);
    byte[] before = Files.readAllBytes(file);

    assertThat(AviRepair.repair(file, FileOpener.DEFAULT).outcome()).isEqualTo(AviRepair.Outcome.FINISHED);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aSegmentWithoutACompleteFrameIsDeleted() throws Exception {
    Path crashed = crashCopy(3, AviWriter.DEFAULT_RIFF_LIMIT);
    truncate(crashed, entry(crashed, 0).offset() + 10);

    assertThat(AviRepair.repair(crashed, FileOpener.DEFAULT).outcome()).isEqualTo(AviRepair.Outcome.DELETED);
    assertThat(crashed).doesNotExist();
    assertThat(FrameTimes.sidecarOf(crashed)).doesNotExist();
  }

  @Test
  void theRecorderRepairsUnfinishedSegmentsWhenItStarts() throws Exception {
    Path crashed = crashCopy(20, AviWriter.DEFAULT_RIFF_LIMIT);
    truncate(crashed, entry(crashed, 19).offset() + 1);
    try (RecordingFixture f = new RecordingFixture(RecordingFixture.settings(dir).build())) {
      assertThat(f.store.segments("crashed")).singleElement()
          .satisfies(s -> assertThat(s.frames()).isEqualTo(19));
    }
    assertDecodesWithTheFirst(crashed, 19);
  }

  /** Writes {@code count} frames as camera "live" and copies the files as they are on disk (flushed, not closed). */
  private Path crashCopy(int count, long riffLimit) throws Exception {
    Path live = segment(count, riffLimit, false);
    Path target = dir.resolve("crashed");
    Files.createDirectories(target);
    Path copy = target.resolve(live.getFileName());
    Files.copy(live, copy);
    Files.copy(FrameTimes.sidecarOf(live), FrameTimes.sidecarOf(copy));
    return copy;
  }

  private Path segment(int count, long riffLimit, boolean finish) throws Exception {
    RecordingStore store = new RecordingStore(dir);
    SegmentWriter w = null;
    for (int i = 0; i < count; i++) {
      byte[] jpeg = TestJpegs.frame(i);
      CameraFrame f = new CameraFrame("live", JpegFrame.parse(jpeg), i + 1, 5_000_000L + i * 33_333L,
          T0 + i * 33_333L, 160, 120);
      frames.add(f);
      if (w == null) {
        w = SegmentWriter.open(store, FileOpener.DEFAULT, f, riffLimit);
      }
      w.write(f);
    }
    w.flush(false);
    Path file = w.file();
    if (finish) {
      w.close();
    }
    return file;
  }

  private void assertDecodesWithTheFirst(Path file, int count) throws Exception {
    assertThat(AviTools.ffmpegErrors(file)).isEmpty();
    assertThat(AviTools.ffprobeFrames(file)).isEqualTo(count);
    assertThat(AviStructure.checkIndexes(file)).isEqualTo(count);
    RecordingStore store = new RecordingStore(file.getParent().getParent());
    List<RecordedFrame> read = new ArrayList<>();
    try (FrameCursor c = store.frames(file.getParent().getFileName().toString(), Long.MIN_VALUE, Long.MAX_VALUE)) {
      c.forEachRemaining(read::add);
    }
    assertThat(read).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(read.get(i).jpeg()).isEqualTo(frames.get(i).jpeg().toByteArray());
      assertThat(read.get(i).epochMicros()).isEqualTo(frames.get(i).receivedAtMicros());
    }
  }

  private static FrameTimes.Entry entry(Path avi, long index) throws Exception {
    try (FileChannel t = FileChannel.open(FrameTimes.sidecarOf(avi), StandardOpenOption.READ)) {
      return FrameTimes.read(t, index);
    }
  }

  private static void truncate(Path file, long size) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}
