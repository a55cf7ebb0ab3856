package dev.camrelay.relay.internal.output.rtsp;

import java.util.concurrent.atomic.LongAdder;

/** RTP packets, payload bytes and frames sent to all RTSP clients of one RTSP port, for {@code /metrics}. */
public final class RtspCounters {
  public final LongAdder packets = new LongAdder();
  /** RTP/JPEG payload bytes (RTP headers and interleaving not counted), as in the RTCP sender report. */
  public final LongAdder bytes = new LongAdder();
  /** Frames re-coded as RTP/JPEG and fully written to a client. */
  public final LongAdder frames = new LongAdder();
}
