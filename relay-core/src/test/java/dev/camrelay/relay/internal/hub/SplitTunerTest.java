package dev.camrelay.relay.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The fan-out split is kept only where it measurably gets frames out sooner without costing much more CPU, and
 * measured again now and then.
 */
class SplitTunerTest {
  /** Feeds one measurement in which both ways cost the same CPU per output. */
  private static void measure(SplitTuner tuner, long splitNanosPerOutput, long oneNanosPerOutput) {
    measure(tuner, splitNanosPerOutput, 4_000, oneNanosPerOutput, 4_000);
  }

  /** Feeds one measurement: a sample of split frames, then one of frames written from one thread. */
  private static void measure(SplitTuner tuner, long splitNanosPerOutput, long splitCpuPerOutput,
      long oneNanosPerOutput, long oneCpuPerOutput) {
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      assertThat(tuner.split()).as("measuring the split").isTrue();
      assertThat(tuner.measuring()).isTrue();
      tuner.record(true, 100, splitNanosPerOutput * 100, splitCpuPerOutput * 100);
    }
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      assertThat(tuner.split()).as("measuring one thread").isFalse();
      assertThat(tuner.measuring()).isTrue();
      tuner.record(false, 100, oneNanosPerOutput * 100, oneCpuPerOutput * 100);
    }
  }

  @Test
  void theSplitIsKeptWhenItHalvesTheFanOut() {
    SplitTuner tuner = new SplitTuner();
    measure(tuner, 5_000, 10_000);
    assertThat(tuner.split()).isTrue();
    assertThat(tuner.splitting()).isTrue();
  }

  @Test
  void oneThreadWritesWhenTheSplitIsNotClearlyFaster() {
    SplitTuner tuner = new SplitTuner();
    measure(tuner, 9_000, 10_000); // 10% faster: not worth a helper's CPU
    assertThat(tuner.split()).isFalse();
    assertThat(tuner.splitting()).isFalse();
  }

  @Test
  void afterARunItMeasuresAgainAndCanChooseTheSplitBack() {
    SplitTuner tuner = new SplitTuner();
    measure(tuner, 10_000, 10_000); // busy cores: one thread
    for (int i = 0; i < SplitTuner.RUN; i++) {
      assertThat(tuner.split()).isFalse();
      assertThat(tuner.measuring()).as("frames of the run are not measured").isFalse();
      tuner.ran();
    }
    measure(tuner, 4_000, 10_000); // the other core is free now
    assertThat(tuner.split()).isTrue();
  }

  @Test
  void aFrameOfTheOtherKindDuringAMeasurementDoesNotCount() {
    SplitTuner tuner = new SplitTuner();
    // Another camera's frame, decided before the measurement moved on, reports late: ignored.
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(true, 100, 500_000, 400_000);
      tuner.record(false, 100, 1, 1); // not measuring one thread yet
    }
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(false, 100, 1_000_000, 400_000);
      tuner.record(true, 100, 1, 1_000_000_000); // measuring one thread now
    }
    assertThat(tuner.splitting()).as("5,000 ns per output split against 10,000 on one thread").isTrue();
  }

  @Test
  void framesAreMeasuredPerOutputSoCamerasOfDifferentSizesCompare() {
    SplitTuner tuner = new SplitTuner();
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(true, 400, 400 * 5_000L, 400 * 4_000L);
    }
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(false, 40, 40 * 10_000L, 40 * 4_000L);
    }
    assertThat(tuner.splitting()).isTrue();
  }

  @Test
  void aSplitThatIsFasterButCostsMuchMoreCpuIsNotKept() {
    SplitTuner tuner = new SplitTuner();
    // The other core is busy with the viewers: 20% sooner, but 30% more CPU per output (helper wake-ups, waiting).
    measure(tuner, 8_000, 5_200, 10_000, 4_000);
    assertThat(tuner.splitting()).isFalse();
    assertThat(tuner.split()).isFalse();
  }

  @Test
  void aSplitThatIsFasterAtAboutTheSameCpuIsKept() {
    SplitTuner tuner = new SplitTuner();
    measure(tuner, 5_000, 4_300, 10_000, 4_000); // 7.5% more CPU for half the wait
    assertThat(tuner.splitting()).isTrue();
  }

  @Test
  void aFrameDecidedDuringTheRunButReportedAfterItDoesNotCountAsAMeasurement() {
    SplitTuner tuner = new SplitTuner();
    measure(tuner, 10_000, 10_000); // one thread
    for (int i = 0; i < SplitTuner.RUN - 1; i++) {
      tuner.ran();
    }
    assertThat(tuner.measuring()).isFalse();
    tuner.ran(); // the run is over: the next frames measure the split
    assertThat(tuner.measuring()).isTrue();
    // A frame measured as split, then one that says it ran unmeasured (decided before the run ended): only the first
    // counts, so 32 measured split frames are still needed before one thread is measured.
    tuner.record(true, 100, 5_000 * 100, 4_000 * 100);
    tuner.ran();
    for (int i = 0; i < SplitTuner.SAMPLE - 2; i++) {
      tuner.record(true, 100, 5_000 * 100, 4_000 * 100);
    }
    assertThat(tuner.split()).as("still measuring the split").isTrue();
    tuner.record(true, 100, 5_000 * 100, 4_000 * 100);
    assertThat(tuner.split()).as("now measuring one thread").isFalse();
  }

  /** Runs {@code frames} unmeasured frames; returns how many ran before a measurement began (all of them if none). */
  private static int runUntilMeasuring(SplitTuner tuner, int frames) {
    for (int i = 0; i < frames; i++) {
      if (tuner.measuring()) {
        return i;
      }
      tuner.ran();
    }
    return frames;
  }

  @Test
  void aChoiceThatHoldsIsMeasuredAgainLessAndLessOftenAndSoonAgainOnceItChanges() {
    SplitTuner tuner = new SplitTuner();
    measure(tuner, 10_000, 10_000); // one thread
    assertThat(runUntilMeasuring(tuner, 100_000)).isEqualTo(SplitTuner.RUN);
    measure(tuner, 10_000, 10_000); // one thread again
    assertThat(runUntilMeasuring(tuner, 100_000)).isEqualTo(2 * SplitTuner.RUN);
    measure(tuner, 10_000, 10_000);
    assertThat(runUntilMeasuring(tuner, 100_000)).isEqualTo(4 * SplitTuner.RUN);
    measure(tuner, 10_000, 10_000);
    assertThat(runUntilMeasuring(tuner, 100_000)).isEqualTo(SplitTuner.MAX_RUN);
    measure(tuner, 10_000, 10_000);
    assertThat(runUntilMeasuring(tuner, 100_000)).as("no longer than MAX_RUN").isEqualTo(SplitTuner.MAX_RUN);

    measure(tuner, 4_000, 10_000); // the other core is free now: split, measured again soon
    assertThat(tuner.splitting()).isTrue();
    assertThat(runUntilMeasuring(tuner, 100_000)).isEqualTo(SplitTuner.RUN);
  }
}
