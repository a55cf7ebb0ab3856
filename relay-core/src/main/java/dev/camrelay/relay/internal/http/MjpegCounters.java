package dev.camrelay.relay.internal.http;

import java.util.concurrent.atomic.LongAdder;

/** Frames sent to and skipped for all MJPEG viewers of one HTTP frontend, for {@code /metrics}. */
final class MjpegCounters {
  final LongAdder sent = new LongAdder();
  final LongAdder skipped = new LongAdder();
}
