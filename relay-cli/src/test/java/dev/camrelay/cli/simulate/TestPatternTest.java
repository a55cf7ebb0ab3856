package dev.camrelay.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestPatternTest {
  @Test
  void framesAreCompleteBaselineJpegsOfTheRequestedSize() throws Exception {
    List<byte[]> frames = SimulatedCamera.testPatternFrames(3, 320, 240, 12);
    for (byte[] f : frames) {
      JpegInfo info = JpegInfo.of(JpegFrame.parse(f));
      assertThat(info.width()).isEqualTo(320);
      assertThat(info.height()).isEqualTo(240);
      assertThat(info.progressive()).isFalse();
    }
    assertThat(frames.get(0)).isNotEqualTo(frames.get(1)); // the pattern moves
  }

  @Test
  void lowerEsp32QualityNumberMeansLargerFrames() {
    byte[] best = SimulatedCamera.testPatternFrames(1, 320, 240, 4).get(0);
    byte[] worst = SimulatedCamera.testPatternFrames(1, 320, 240, 60).get(0);
    assertThat(best.length).isGreaterThan(worst.length);
  }
}
