package dev.camrelay.relay.internal.output.rtsp;

import java.util.concurrent.atomic.LongAdder;

/**
 * RTP packets, payload bytes and frames sent to all RTSP clients of one RTSP port, and frames re-coded or refused for
 * RTP/JPEG, for {@code /metrics}.
 */
public final class RtspCounters {
  public final LongAdder packets = new LongAdder();
  /** RTP/JPEG payload bytes (RTP headers and interleaving not counted), as in the RTCP sender report. */
  public final LongAdder bytes = new LongAdder();
  /** Frames cut into RTP/JPEG packets and fully written to a client (each client counted). */
  public final LongAdder frames = new LongAdder();
  /**
   * Frames whose scan was re-coded to the standard Huffman tables (they came with other tables), each counted once
   * however many clients it went to.
   */
  public final LongAdder recoded = new LongAdder();
  /** Frames RFC 2435 cannot carry (progressive, grayscale, 4:4:4, too large), each counted once. */
  public final LongAdder refused = new LongAdder();
}
