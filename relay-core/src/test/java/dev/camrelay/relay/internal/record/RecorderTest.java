package dev.camrelay.relay.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.ViewerClient;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    AviTools.assumeInstalled();
  }

  @Test
  void recordsEveryFrameByteForByteWithItsTimesInAFileFfmpegDecodes() throws Exception {
    Path file;
    List<CameraFrame> sent;
    try (RecordingFixture f = new RecordingFixture(RecordingFixture.settings(dir).build())) {
      f.publish("porch", 60, 5);
      sent = f.published("porch");
      Await.until("60 frames recorded and flushed",
          () -> f.store.segments("porch").stream().mapToLong(Segment::frames).sum() == 60);
      List<Segment> live = f.store.segments("porch");
      assertThat(live).hasSize(1);
      assertThat(live.get(0).recording()).as("still being written").isTrue();
      // The segment being written reads back already: bytes and times as the camera sent them.
      List<RecordedFrame> read = new ArrayList<>();
      try (FrameCursor c = f.store.frames("porch", Long.MIN_VALUE, Long.MAX_VALUE)) {
        c.forEachRemaining(read::add);
      }
      assertThat(read).hasSize(60);
      for (int i = 0; i < 60; i++) {
        assertThat(read.get(i).jpeg()).isEqualTo(sent.get(i).jpeg().toByteArray());
        assertThat(read.get(i).epochMicros()).isEqualTo(sent.get(i).receivedAtMicros());
      }
      file = live.get(0).file();
      assertThat(file.getParent()).isEqualTo(dir.toAbsolutePath().normalize().resolve("porch"));
    }
    // Closed: finished, so the real tools see every frame.
    assertThat(AviTools.ffmpegErrors(file)).isEmpty();
    assertThat(AviTools.ffprobeFrames(file)).isEqualTo(60);
    try (FileChannel t = FileChannel.open(FrameTimes.sidecarOf(file), StandardOpenOption.READ)) {
      assertThat(FrameTimes.count(t)).isEqualTo(60);
      for (int i = 0; i < 60; i++) {
        FrameTimes.Entry e = FrameTimes.read(t, i);
        assertThat(e.receivedMicros()).isEqualTo(sent.get(i).receivedAtMicros());
        assertThat(e.captureMicros()).isEqualTo(sent.get(i).captureMicros());
      }
    }
    RecordingStore store = new RecordingStore(dir);
    assertThat(store.segments("porch")).singleElement().satisfies(s -> {
      assertThat(s.recording()).isFalse();
      assertThat(s.frames()).isEqualTo(60);
      assertThat(s.startMicros()).isEqualTo(sent.get(0).receivedAtMicros());
      assertThat(s.endMicros()).isEqualTo(sent.get(59).receivedAtMicros());
      assertThat(s.bytes()).isEqualTo(Files.size(file));
    });
  }

  @Test
  void segmentsRollOverAndEachDecodesWithItsOwnFrames() throws Exception {
    int total;
    try (RecordingFixture f = new RecordingFixture(
        RecordingFixture.settings(dir).segment(Duration.ofSeconds(1)).build())) {
      f.publish("yard", 1, 0);
      Await.until("a first segment", () -> f.recorder.segmentsStarted() == 1);
      long firstStart = f.published("yard").get(0).receivedAtMicros();
      // Frames until the clock has passed three segment lengths: at least four segments.
      while (System.currentTimeMillis() * 1000 - firstStart < 3_200_000) {
        f.publish("yard", 1, 20);
      }
      total = f.published("yard").size();
      Await.until("all frames recorded", () -> f.recorder.framesWritten() == f.published("yard").size());
    }
    RecordingStore store = new RecordingStore(dir);
    List<Segment> segments = store.segments("yard");
    assertThat(segments).hasSizeGreaterThanOrEqualTo(4);
    long sum = 0;
    for (Segment s : segments) {
      assertThat(s.endMicros() - s.startMicros()).isLessThan(1_000_000);
      assertThat(AviTools.ffmpegErrors(s.file())).as(s.file().toString()).isEmpty();
      assertThat(AviTools.ffprobeFrames(s.file())).isEqualTo(s.frames());
      sum += s.frames();
    }
    assertThat(sum).isEqualTo(total);
    assertThat(store.ranges("yard")).as("one continuous range across segment boundaries").hasSize(1);
    List<String> names = segments.stream().map(s -> s.file().getFileName().toString()).toList();
    assertThat(names).isSorted();
  }

  @Test
  void nearestFindsTheClosestRecordedFrameAndNothingOutsideTheRanges() throws Exception {
    try (RecordingFixture f = new RecordingFixture(RecordingFixture.settings(dir).build())) {
      f.publish("door", 20, 10);
      List<CameraFrame> sent = f.published("door");
      Await.until("flushed", () -> f.store.segments("door").stream().mapToLong(Segment::frames).sum() == 20);
      CameraFrame tenth = sent.get(9);
      assertThat(f.store.nearest("door", tenth.receivedAtMicros() + 1)).get()
          .satisfies(r -> assertThat(r.jpeg()).isEqualTo(tenth.jpeg().toByteArray()));
      long last = sent.get(19).receivedAtMicros();
      assertThat(f.store.nearest("door", last + RecordingStore.GAP_MICROS * 3)).isEmpty();
      assertThat(f.store.nearest("door", sent.get(0).receivedAtMicros() - 1)).isEmpty();
      assertThat(f.store.nearest("nobody", last)).isEmpty();
      assertThat(f.store.ranges("door")).containsExactly(
          new TimeRange(sent.get(0).receivedAtMicros(), last));
    }
  }

  @Test
  void onlyTheChosenCamerasAreRecorded() throws Exception {
    try (RecordingFixture f = new RecordingFixture(RecordingFixture.settings(dir).cameras(Set.of("a")).build())) {
      f.publish("a", 3, 0);
      f.publish("b", 3, 0);
      Await.until("a's frames", () -> f.recorder.framesWritten() == 3);
      f.publish("a", 1, 0);
      Await.until("a's next frame", () -> f.recorder.framesWritten() == 4);
    }
    assertThat(new RecordingStore(dir).cameras()).containsExactly("a");
  }

  @Test
  void cameraFoldersStayInsideTheRecordingsFolder() {
    RecordingStore store = new RecordingStore(dir);
    Path root = dir.toAbsolutePath().normalize();
    for (String bad : List.of("..", ".", "a/b", "../x", "/etc", "a\\b", "", "x".repeat(65), "caf\u00e9", "a b")) {
      assertThatThrownBy(() -> store.cameraDir(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.segments(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    for (String ok : List.of("...", ".cam", "cam.1", "a-b_c", "x".repeat(64))) {
      assertThat(store.cameraDir(ok).getParent()).as(ok).isEqualTo(root);
      assertThat(store.cameraDir(ok).getFileName().toString()).isEqualTo(ok);
    }
  }

  @Test
  void aFullDiskPausesRecordingWhileTheViewerKeepsReceivingAndRecordingResumesByItself() throws Exception {
    try (RecordingFixture f = new RecordingFixture(RecordingFixture.settings(dir).build())) {
      f.publish("cam", 5, 0);
      Await.until("five frames on disk",
          () -> f.store.segments("cam").stream().mapToLong(Segment::frames).sum() == 5);
      ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + f.relay.wsPort() + "/cam/cam");
      try {
        f.disk.full = true;
        f.publish("cam", 5, 20);
        Await.until("paused", f.recorder::paused);
        long before = viewer.frames.size();
        Await.until("the viewer gets frames while recording is paused", () -> {
          publishOne(f);
          return viewer.frames.size() >= before + 10;
        });
        assertThat(f.recorder.framesDropped()).isPositive();
        f.disk.full = false;
        long written = f.recorder.framesWritten();
        Await.until("resumed", Duration.ofSeconds(30), () -> {
          publishOne(f);
          return !f.recorder.paused() && f.recorder.framesWritten() > written;
        });
      } finally {
        viewer.closeBlocking();
      }
    }
    RecordingStore store = new RecordingStore(dir);
    List<Segment> segments = store.segments("cam");
    assertThat(segments).as("the segment cut by the failure, repaired, and the one after it").hasSize(2);
    assertThat(segments.get(0).frames()).as("frames on disk before the failure kept").isGreaterThanOrEqualTo(5);
    for (Segment s : segments) {
      assertThat(AviTools.ffmpegErrors(s.file())).isEmpty();
      assertThat(AviTools.ffprobeFrames(s.file())).isEqualTo(s.frames());
    }
  }

  @Test
  void retentionDeletesTheOldestSegmentsBeyondTheSizeCapButNeverTheOneBeingWritten() throws Exception {
    try (RecordingFixture f = new RecordingFixture(
        RecordingFixture.settings(dir).segment(Duration.ofSeconds(1)).maxBytes(60_000).build())) {
      f.publish("cam", 1, 0);
      long start = f.published("cam").get(0).receivedAtMicros();
      while (System.currentTimeMillis() * 1000 - start < 4_500_000) {
        f.publish("cam", 1, 25);
      }
      Await.until("retention after the last finished segment", () -> total(f.store) <= 60_000 + open(f.store));
      List<Segment> left = f.store.segments("cam");
      assertThat(f.recorder.segmentsStarted()).isGreaterThan(left.size());
      assertThat(left.get(left.size() - 1).recording()).isTrue();
      // The oldest went: what is left is the newest, contiguous.
      assertThat(left.get(0).startMicros()).isGreaterThan(start);
    }
  }

  @Test
  void retentionDeletesSegmentsOlderThanTheKeepAgeByTheInjectedClock() throws Exception {
    RecordSettings settings = RecordingFixture.settings(dir).segment(Duration.ofSeconds(1)).keep(Duration.ofDays(7))
        .build();
    try (RecordingFixture f = new RecordingFixture(settings)) {
      publishFor(f, 2_200_000);
      Await.until("finished segments", () -> f.store.segments("cam").stream().filter(s -> !s.recording()).count() >= 2);
      long now = System.currentTimeMillis() * 1000;
      assertThat(new Retention(f.store, settings).apply(now + TimeUnit.DAYS.toMicros(6)))
          .as("six days later: all younger than seven").isZero();
      f.clockMicros.set(now + TimeUnit.DAYS.toMicros(8));
      publishFor(f, 1_100_000); // finishes a segment, which applies retention
      Await.until("every finished segment deleted",
          () -> f.store.segments("cam").stream().allMatch(Segment::recording));
      assertThat(f.store.segments("cam")).hasSize(1);
    }
  }

  private static void publishOne(RecordingFixture f) {
    try {
      f.publish("cam", 1, 20);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void publishFor(RecordingFixture f, long micros) throws Exception {
    long t = System.currentTimeMillis() * 1000;
    while (System.currentTimeMillis() * 1000 - t < micros) {
      f.publish("cam", 1, 25);
    }
  }

  private static long total(RecordingStore store) {
    long sum = 0;
    for (Path avi : store.segmentFiles("cam")) {
      try {
        sum += Files.size(avi) + Files.size(FrameTimes.sidecarOf(avi));
      } catch (java.io.IOException e) {
        // deleted meanwhile
      }
    }
    return sum;
  }

  private static long open(RecordingStore store) {
    return store.segments("cam").stream().filter(Segment::recording).mapToLong(s -> s.bytes() * 2).sum();
  }
}
