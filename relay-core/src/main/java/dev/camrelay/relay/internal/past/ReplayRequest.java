package dev.camrelay.relay.internal.past;

import java.util.List;
import java.util.Map;

/**
 * A replay a WebSocket viewer asks for with {@code ?from=TIME[&to=TIME][&speed=N]} on its viewer URL.
 *
 * @param fromMicros where the replay starts, epoch microseconds
 * @param toMicros where it ends ({@link Long#MAX_VALUE}: at the end of the recordings)
 * @param speed how many times faster than recorded, above 0 and at most 64
 */
public record ReplayRequest(long fromMicros, long toMicros, double speed) {
  static final double MAX_SPEED = 64;

  /**
   * The replay a decoded query asks for, or null when it has no {@code from} (a live viewer).
   *
   * @throws TimeParams.BadParameter naming a bad parameter
   */
  public static ReplayRequest of(Map<String, List<String>> query) {
    TimeParams p = new TimeParams(query);
    if (!p.has("from")) {
      return null;
    }
    long from = p.timeMicros("from");
    long to = p.timeMicros("to", Long.MAX_VALUE);
    if (to < from) {
      throw new TimeParams.BadParameter("to is before from");
    }
    return new ReplayRequest(from, to, p.positive("speed", 1, MAX_SPEED));
  }
}
