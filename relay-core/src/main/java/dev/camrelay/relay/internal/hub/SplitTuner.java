package dev.camrelay.relay.internal.hub;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides from measurements whether splitting a frame's offers over helper threads ({@link FanOut}) gets frames to
 * the outputs sooner on this machine, now. Splitting costs CPU (a helper's wake-up, outputs' state moving between
 * cores); it pays only where another core is free to write. When the cores are busy (on a small machine, with other
 * work or the viewers themselves on it) the split finishes a frame no sooner and the relay just spends more.
 *
 * <pre>
 *   frames:  [ 32 split | 32 on one thread ] ── keep the faster for 1,024 frames ── [ measure again ] ── …
 * </pre>
 *
 * <p>Each frame's fan-out time (from the first offer to the last one done) is divided by its outputs; the median of
 * each sample is compared, and the split is kept only when it is at least {@value #WORTH_PERCENT}% faster. Frames of
 * all cameras count alike. Thread-safe; one call per frame, not per output.
 */
final class SplitTuner {
  private static final Logger log = LoggerFactory.getLogger(SplitTuner.class);
  static final int SAMPLE = 32;
  static final int RUN = 1024;
  /** How much faster (in %) a split fan-out must be to be worth its CPU. */
  static final int WORTH_PERCENT = 15;

  private enum Phase { MEASURE_SPLIT, MEASURE_ONE, RUN }

  private Phase phase = Phase.MEASURE_SPLIT;
  private final long[] split = new long[SAMPLE];
  private final long[] one = new long[SAMPLE];
  private int filled;
  private int run;
  private boolean runSplit = true;

  /** Whether the next frame is to be split. */
  synchronized boolean split() {
    return switch (phase) {
      case MEASURE_SPLIT -> true;
      case MEASURE_ONE -> false;
      case RUN -> runSplit;
    };
  }

  /** A frame was offered ({@code split} or not) to {@code outputs} outputs in {@code nanos}. */
  synchronized void record(boolean wasSplit, int outputs, long nanos) {
    long perOutput = nanos / Math.max(1, outputs);
    switch (phase) {
      case MEASURE_SPLIT -> {
        if (wasSplit) {
          split[filled++] = perOutput;
          if (filled == SAMPLE) {
            filled = 0;
            phase = Phase.MEASURE_ONE;
          }
        }
      }
      case MEASURE_ONE -> {
        if (!wasSplit) {
          one[filled++] = perOutput;
          if (filled == SAMPLE) {
            filled = 0;
            long splitMedian = median(split);
            long oneMedian = median(one);
            runSplit = splitMedian * 100 <= oneMedian * (100 - WORTH_PERCENT);
            log.debug("fan-out: {} ns per output split, {} on one thread: {}", splitMedian, oneMedian,
                runSplit ? "splitting" : "one thread");
            run = 0;
            phase = Phase.RUN;
          }
        }
      }
      case RUN -> {
        if (++run >= RUN) {
          phase = Phase.MEASURE_SPLIT;
        }
      }
    }
  }

  /** Whether the last measurement chose the split (true until one is done). For tests and logs. */
  synchronized boolean splitting() {
    return runSplit;
  }

  private static long median(long[] sample) {
    long[] sorted = sample.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
