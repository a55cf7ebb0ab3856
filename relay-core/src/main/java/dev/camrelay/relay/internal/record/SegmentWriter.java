package dev.camrelay.relay.internal.record;

import dev.camrelay.relay.CameraFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The segment of one camera being written: an {@link AviWriter} and its {@link FrameTimes} sidecar. The sidecar is
 * created first and its records reach the file only after the AVI data they point at ({@link #flush}), so after a
 * crash every complete record points at a complete frame.
 */
final class SegmentWriter implements AutoCloseable {
  private static final int TIMES_BUFFER = 16 * 1024;

  private final RecordingStore store;
  private final Path avi;
  private final ChannelOut times;
  private final AviWriter video;
  private final long startMicros;
  private final int width;
  private final int height;
  private long lastMicros;
  private boolean unflushed;
  private boolean unsynced;
  private boolean ended;

  private SegmentWriter(RecordingStore store, Path avi, ChannelOut times, AviWriter video, CameraFrame first) {
    this.store = store;
    this.avi = avi;
    this.times = times;
    this.video = video;
    this.startMicros = first.receivedAtMicros();
    this.lastMicros = startMicros;
    this.width = first.width();
    this.height = first.height();
  }

  /** Creates the files of a new segment starting with {@code first} (not yet written). */
  static SegmentWriter open(RecordingStore store, FileOpener files, CameraFrame first, long riffLimit)
      throws IOException {
    Path dir = store.cameraDir(first.cameraId());
    Files.createDirectories(dir);
    long nameMicros = first.receivedAtMicros();
    Path avi;
    do {
      avi = dir.resolve(SegmentNames.base(nameMicros++) + RecordingStore.AVI);
    } while (Files.exists(avi) || Files.exists(FrameTimes.sidecarOf(avi)));
    FileChannel timesChannel = files.open(FrameTimes.sidecarOf(avi), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    ChannelOut times = new ChannelOut(timesChannel, 0, TIMES_BUFFER);
    FileChannel aviChannel = null;
    try {
      times.append(FrameTimes.header());
      aviChannel = files.open(avi, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      AviWriter video = AviWriter.start(aviChannel, first.width(), first.height(), riffLimit);
      store.recordingStarted(avi);
      return new SegmentWriter(store, avi, times, video, first);
    } catch (IOException | RuntimeException e) {
      timesChannel.close();
      if (aviChannel != null) {
        aviChannel.close();
      }
      throw e;
    }
  }

  Path file() {
    return avi;
  }

  long startMicros() {
    return startMicros;
  }

  long lastMicros() {
    return lastMicros;
  }

  /** Whether {@code frame} can go into this segment: same size, time not behind, room in the super index. */
  boolean fits(CameraFrame frame, long segmentMicros) {
    long t = frame.receivedAtMicros();
    return t >= lastMicros && t - startMicros < segmentMicros && frame.width() == width && frame.height() == height
        && !video.full();
  }

  /** Appends one frame (buffered). */
  void write(CameraFrame frame) throws IOException {
    if (!times.hasRoom(FrameTimes.RECORD_BYTES)) {
      video.flush(); // records must never reach the file before the frames they point at
    }
    long offset = video.write(frame.receivedAtMicros(), frame.jpeg().asByteBuffer());
    ByteBuffer record = ByteBuffer.allocate(FrameTimes.RECORD_BYTES);
    FrameTimes.put(record, new FrameTimes.Entry(frame.receivedAtMicros(), frame.captureMicros(), offset,
        frame.size()));
    times.append(record.flip());
    lastMicros = frame.receivedAtMicros();
    unflushed = true;
    unsynced = true;
  }

  /**
   * Hands what is buffered to the operating system, frames before their records (enough to survive a killed
   * process); with {@code sync}, also waits until it is on the disk (enough to survive a power cut).
   */
  void flush(boolean sync) throws IOException {
    if (sync && (unflushed || unsynced)) {
      video.force();
      times.force();
      unflushed = false;
      unsynced = false;
    } else if (unflushed) {
      video.flush();
      times.flush();
      unflushed = false;
      unsynced = true;
    }
  }

  /** Finishes the AVI (indexes, header) and syncs both files. */
  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    ended = true;
    try {
      times.force();
      video.close();
    } finally {
      try {
        times.close();
      } finally {
        store.recordingEnded(avi);
      }
    }
  }

  /** Gives up on the files after a write failure, without finishing them ({@link AviRepair} does that later). */
  void abandon() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      times.close();
      video.abandon();
    } catch (IOException e) {
      // already failing: the repair at the next start or resume deals with what is on disk
    } finally {
      store.recordingEnded(avi);
    }
  }
}
