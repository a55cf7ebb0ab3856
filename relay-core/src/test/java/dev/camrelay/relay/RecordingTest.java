package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.internal.record.RecordingStore;
import dev.camrelay.relay.internal.record.Segment;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording configured through the public builder, as an embedder turns it on. */
class RecordingTest {
  @TempDir Path dir;

  @Test
  void aRelayWithARecordDirRecordsItsCamerasAndReportsItInMetrics() throws Exception {
    Path rec = dir.resolve("recordings");
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0)
        .recordDir(rec).recordSegment(Duration.ofMinutes(1)).recordKeep(Duration.ofDays(7))
        .recordMaxBytes(1L << 30).build()) {
      relay.start();
      for (int i = 0; i < 10; i++) {
        relay.publish("porch", TestJpegs.frame(i));
      }
      RecordingStore store = new RecordingStore(rec);
      Await.until("ten frames on disk", () -> store.segments("porch").stream().mapToLong(Segment::frames).sum() == 10);
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + relay.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("camrelay_record_frames_total 10.0", "camrelay_record_segments_total 1.0",
          "camrelay_record_frames_dropped_total 0.0", "camrelay_record_paused 0.0")
          .containsPattern("camrelay_record_bytes_written_total [1-9]")
          .containsPattern("camrelay_record_disk_free_bytes [1-9]")
          .contains("camrelay_record_queued_bytes");
      assertThat(relay.cameras()).singleElement()
          .satisfies(c -> assertThat(c.viewers()).as("the recorder is no viewer").isZero());
    }
    assertThat(new RecordingStore(rec).segments("porch")).singleElement()
        .satisfies(s -> assertThat(s.recording()).as("finished when the relay closed").isFalse());
  }

  @Test
  void recordingSettingsWithoutAFolderAreRefused() {
    assertThatThrownBy(() -> CameraRelay.builder().recordCameras(Set.of("a")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need recordDir");
    assertThatThrownBy(() -> CameraRelay.builder().recordSegment(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recordSegment");
    assertThatThrownBy(() -> CameraRelay.builder().recordCameras(Set.of("..")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid camera id");
  }
}
