package dev.camrelay.relay.internal.record;

import java.util.Iterator;

/**
 * Recorded frames of one camera in time order, across segments, read lazily from disk; see
 * {@link RecordingStore#frames}. Not thread-safe. A segment deleted by retention while it is read ends the cursor
 * early rather than failing; an I/O error reading a frame surfaces as {@link java.io.UncheckedIOException} from
 * {@link #next()}/{@link #hasNext()}.
 */
public interface FrameCursor extends Iterator<RecordedFrame>, AutoCloseable {
  /** Releases the open file, if any. Idempotent. */
  @Override
  void close();
}
