package dev.camrelay.relay.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fan-out split is kept only where it measurably gets frames out sooner, and measured again now and then. */
class SplitTunerTest {
  /** Feeds one measurement: a sample of split frames, then one of frames written from one thread. */
  private static void measure(SplitTuner tuner, long splitNanosPerOutput, long oneNanosPerOutput) {
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      assertThat(tuner.split()).as("measuring the split").isTrue();
      tuner.record(true, 100, splitNanosPerOutput * 100);
    }
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      assertThat(tuner.split()).as("measuring one thread").isFalse();
      tuner.record(false, 100, oneNanosPerOutput * 100);
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
      tuner.record(false, 100, 1_000_000);
    }
    measure(tuner, 4_000, 10_000); // the other core is free now
    assertThat(tuner.split()).isTrue();
  }

  @Test
  void aFrameOfTheOtherKindDuringAMeasurementDoesNotCount() {
    SplitTuner tuner = new SplitTuner();
    // Another camera's frame, decided before the measurement moved on, reports late: ignored.
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(true, 100, 500_000);
      tuner.record(false, 100, 1); // not measuring one thread yet
    }
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(false, 100, 1_000_000);
      tuner.record(true, 100, 1); // measuring one thread now
    }
    assertThat(tuner.splitting()).as("5,000 ns per output split against 10,000 on one thread").isTrue();
  }

  @Test
  void framesAreMeasuredPerOutputSoCamerasOfDifferentSizesCompare() {
    SplitTuner tuner = new SplitTuner();
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(true, 400, 400 * 5_000L);
    }
    for (int i = 0; i < SplitTuner.SAMPLE; i++) {
      tuner.record(false, 40, 40 * 10_000L);
    }
    assertThat(tuner.splitting()).isTrue();
  }
}
