package dev.camrelay.relay.internal.output.mjpeg;

import java.util.concurrent.atomic.LongAdder;

/** Frames sent to and skipped for all MJPEG viewers of one HTTP frontend, for {@code /metrics}. */
public final class MjpegCounters {
  public final LongAdder sent = new LongAdder();
  public final LongAdder skipped = new LongAdder();
}
