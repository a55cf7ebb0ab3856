package dev.camrelay.relay.internal.hub;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides from measurements whether splitting a frame's offers over helper threads ({@link FanOut}) gets frames to
 * the outputs sooner on this machine, now, at a CPU cost worth paying. Splitting costs CPU (a helper's wake-up, the
 * publisher waiting for it, outputs' state moving between cores); it pays only where another core is free to write.
 * When the cores are busy (on a small machine, with other work or the viewers themselves on it) the split finishes a
 * frame little or no sooner and the relay spends more: on a 2-vCPU guest with 200 viewers, 20–40% more CPU per
 * frame for 10–15% off the last viewer's wait.
 *
 * <pre>
 *   frames:  [ 32 split | 32 on one thread ] ── keep the better for 1,024 frames ── [ measure again ] ── …
 *            the same choice again: the next run is twice as long, up to 8,192 frames; a new choice: 1,024
 * </pre>
 *
 * <p>Each measured frame's fan-out time (from the first offer to the last one done) and the CPU time its threads
 * spent on it are divided by its outputs; the medians of each sample are compared. The split is kept only when it is
 * at least {@value #WORTH_PERCENT}% faster and costs at most {@value #CPU_PERCENT}% more CPU. Where the JVM cannot
 * read a thread's CPU time, time alone decides. Frames of all cameras count alike. Thread-safe; one call per frame,
 * not per output; CPU clocks are read only for the frames being measured (a system call each, ~1.5 µs here).
 *
 * <p>Measuring costs too (half the measured frames are split, whichever way wins), so a choice that keeps being
 * confirmed is measured less and less often: at 30 fps, every 4.5 minutes once settled, about 0.4% of frames split
 * for nothing, against 3% if it measured every 1,024 frames. The price: a change of load (cores freed or taken) is
 * noticed up to 4.5 minutes late.
 */
final class SplitTuner {
  private static final Logger log = LoggerFactory.getLogger(SplitTuner.class);
  static final int SAMPLE = 32;
  static final int RUN = 1024;
  /** The longest run between measurements, reached by doubling while the choice stays the same. */
  static final int MAX_RUN = 8 * RUN;
  /** How much faster (in %) a split fan-out must be to be worth its CPU. */
  static final int WORTH_PERCENT = 15;
  /** How much more CPU (in %) per output a split fan-out may cost. */
  static final int CPU_PERCENT = 10;
  private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private static final boolean cpuClock = threads.isCurrentThreadCpuTimeSupported();

  private enum Phase { MEASURE_SPLIT, MEASURE_ONE, RUN }

  private Phase phase = Phase.MEASURE_SPLIT;
  private final long[] split = new long[SAMPLE];
  private final long[] one = new long[SAMPLE];
  private final long[] splitCpu = new long[SAMPLE];
  private final long[] oneCpu = new long[SAMPLE];
  private int filled;
  private int run;
  private int runLength = RUN;
  private long measurement;
  private boolean runSplit = true;
  private boolean decided;

  /** Whether the next frame is to be split. */
  synchronized boolean split() {
    return switch (phase) {
      case MEASURE_SPLIT -> true;
      case MEASURE_ONE -> false;
      case RUN -> runSplit;
    };
  }

  /**
   * The number of the measurement under way (its threads then read their CPU clocks, {@link #cpuNanos}), or -1
   * when the next frame is not measured.
   */
  synchronized long measurement() {
    return phase == Phase.RUN ? -1 : measurement;
  }

  /** Whether the next frame is measured. */
  boolean measuring() {
    return measurement() >= 0;
  }

  /** The calling thread's CPU time so far, or 0 where the JVM cannot tell (time alone decides then). */
  static long cpuNanos() {
    return cpuClock ? threads.getCurrentThreadCpuTime() : 0;
  }

  /**
   * A frame was offered ({@code split} or not) to {@code outputs} outputs in {@code nanos}, its threads spending
   * {@code cpuNanos} of CPU on it (0 when not measured).
   */
  synchronized void record(boolean wasSplit, int outputs, long nanos, long cpuNanos) {
    int n = Math.max(1, outputs);
    long perOutput = nanos / n;
    long cpuPerOutput = cpuNanos / n;
    switch (phase) {
      case MEASURE_SPLIT -> {
        if (wasSplit) {
          splitCpu[filled] = cpuPerOutput;
          split[filled++] = perOutput;
          if (filled == SAMPLE) {
            filled = 0;
            phase = Phase.MEASURE_ONE;
          }
        }
      }
      case MEASURE_ONE -> {
        if (!wasSplit) {
          oneCpu[filled] = cpuPerOutput;
          one[filled++] = perOutput;
          if (filled == SAMPLE) {
            filled = 0;
            long splitMedian = median(split);
            long oneMedian = median(one);
            long splitCpuMedian = median(splitCpu);
            long oneCpuMedian = median(oneCpu);
            boolean sooner = splitMedian * 100 <= oneMedian * (100 - WORTH_PERCENT);
            boolean affordable = splitCpuMedian * 100 <= oneCpuMedian * (100 + CPU_PERCENT);
            boolean choice = sooner && affordable;
            runLength = decided && choice == runSplit ? Math.min(2 * runLength, MAX_RUN) : RUN;
            runSplit = choice;
            decided = true;
            log.debug("fan-out: {} ns per output split, {} on one thread; CPU {} ns per output split, {} on one thread:"
                + " {}", splitMedian, oneMedian, splitCpuMedian, oneCpuMedian, runSplit ? "splitting" : "one thread");
            run = 0;
            phase = Phase.RUN;
          }
        }
      }
      case RUN -> {
        // decided while measuring, done after the measurement ended: counts as a frame of the run
        ran();
      }
    }
  }

  /** A frame not measured ({@link #measuring} said no) was offered: counts towards the next measurement. */
  synchronized void ran() {
    if (phase == Phase.RUN && ++run >= runLength) {
      phase = Phase.MEASURE_SPLIT;
      measurement++;
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
