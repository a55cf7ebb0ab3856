package dev.camrelay.bench;

import java.io.PrintStream;

/**
 * The reader side of {@link FanOutCost}'s lock-step: counts whole frames as the reader connections complete them and,
 * once all {@code viewers} have one, prints {@code "<first arrival nanos> <last arrival nanos>"} for the parent to
 * read. Single-threaded (one selector loop).
 */
final class FrameArrivals {
  private final int viewers;
  private final PrintStream out;
  private int done;
  private long first;

  FrameArrivals(int viewers, PrintStream out) {
    this.viewers = viewers;
    this.out = out;
  }

  /** {@code frames} more frames were completed by one connection just now. */
  void completed(int frames) {
    for (int f = 0; f < frames; f++) {
      long now = System.nanoTime();
      if (done++ == 0) {
        first = now;
      }
      if (done == viewers) {
        out.println(first + " " + now);
        out.flush();
        done = 0;
      }
    }
  }
}
