package dev.camrelay.relay.internal.record;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A relay (WebSocket port only) with a {@link Recorder} attached through the seam, a test clock for retention, a
 * disk that can be made to fail, and a log of every frame the hub published (with its times).
 */
final class RecordingFixture implements AutoCloseable {
  final CameraRelay relay;
  final RecordingStore store;
  final Recorder recorder;
  final FailingDisk disk = new FailingDisk();
  final AtomicLong clockMicros = new AtomicLong(System.currentTimeMillis() * 1000);
  final List<CameraFrame> published = new CopyOnWriteArrayList<>();
  private final AutoCloseable recorderOutputs;
  private final AutoCloseable frameLog;
  private int next;

  RecordingFixture(RecordSettings settings) throws IOException {
    this(settings, AviWriter.DEFAULT_RIFF_LIMIT);
  }

  RecordingFixture(RecordSettings settings, long riffLimit) throws IOException {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1).build();
    relay.start();
    store = new RecordingStore(settings.dir());
    recorder = new Recorder(store, settings, clockMicros::get, disk, riffLimit);
    recorder.start();
    recorderOutputs = relay.attachOutputs(recorder);
    frameLog = relay.attachOutputs(id -> new CameraOutput() {
      private OutputHandle handle;

      @Override
      public void onAttached(OutputHandle h) {
        handle = h;
      }

      @Override
      public void onFrame(CameraFrame frame) {
        published.add(frame);
        handle.ready();
      }
    });
  }

  static RecordSettings.Builder settings(Path dir) {
    return RecordSettings.builder().dir(dir);
  }

  /** Publishes {@code count} distinct real JPEGs as {@code cameraId}, {@code gapMillis} apart. */
  void publish(String cameraId, int count, long gapMillis) throws Exception {
    for (int i = 0; i < count; i++) {
      relay.publish(cameraId, TestJpegs.frame(next++));
      if (gapMillis > 0) {
        Thread.sleep(gapMillis);
      }
    }
  }

  List<CameraFrame> published(String cameraId) {
    return published.stream().filter(f -> f.cameraId().equals(cameraId)).toList();
  }

  @Override
  public void close() throws Exception {
    frameLog.close();
    recorderOutputs.close();
    recorder.close();
    relay.close();
  }
}
