package dev.camrelay.relay.seam;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A network viewer that reads its socket only inside {@link #nextFrame}: not reading is simply not asking for a
 * frame, so the relay's writes back up once the (small, fixed) socket buffers are full.
 */
abstract class PullProbe implements OutputProbe {
  private int received;

  /** Reads the next frame off the socket. */
  abstract byte[] read(Duration timeout) throws Exception;

  @Override
  public final byte[] nextFrame(Duration timeout) throws Exception {
    byte[] frame = read(timeout);
    received++;
    return frame;
  }

  @Override
  public final void stopReading() {
    // Reading happens only in nextFrame.
  }

  @Override
  public final void resumeReading() {}

  @Override
  public final int framesReceived() {
    return received;
  }

  /** The relay's per-viewer handle is not visible from outside. */
  @Override
  public final OptionalLong framesSkipped() {
    return OptionalLong.empty();
  }
}
