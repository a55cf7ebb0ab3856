package dev.camrelay.relay.internal.past;

import dev.camrelay.relay.internal.record.RecordedFrame;
import dev.camrelay.relay.internal.record.RecordingStore;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * One recorded frame per step of {@code everyMicros} from {@code fromMicros} to {@code toMicros}: the frame nearest
 * each step's time, looked up on its own ({@link RecordingStore#nearest}), so a day's timelapse reads about 1,440
 * frames, not the day's millions. A step whose nearest frame is more than half a step away (a gap in the recording)
 * is left out, and so is a frame already sent (a camera slower than the steps). Reads from disk: the past's threads
 * only.
 */
final class TimelapseFrames implements Iterator<RecordedFrame> {
  private final RecordingStore store;
  private final String cameraId;
  private final long everyMicros;
  private final long toMicros;
  private long stepMicros;
  private long lastSentMicros = Long.MIN_VALUE;
  private RecordedFrame next;

  TimelapseFrames(RecordingStore store, String cameraId, long fromMicros, long toMicros, long everyMicros) {
    this.store = store;
    this.cameraId = cameraId;
    this.everyMicros = everyMicros;
    this.toMicros = toMicros;
    this.stepMicros = fromMicros;
  }

  @Override
  public boolean hasNext() {
    while (next == null && stepMicros <= toMicros) {
      long t = stepMicros;
      stepMicros += everyMicros;
      Optional<RecordedFrame> f = store.nearest(cameraId, t);
      if (f.isPresent() && Math.abs(f.get().epochMicros() - t) <= everyMicros / 2
          && f.get().epochMicros() > lastSentMicros) {
        next = f.get();
        lastSentMicros = next.epochMicros();
      }
    }
    return next != null;
  }

  @Override
  public RecordedFrame next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RecordedFrame f = next;
    next = null;
    return f;
  }
}
