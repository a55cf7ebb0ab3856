package dev.camrelay.relay.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.TestJpegs;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AviWriterTest {
  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    AviTools.assumeInstalled();
  }

  @Test
  void aStandaloneFilePlaysEveryFrameAtTheMeasuredRate() throws Exception {
    Path file = dir.resolve("clip.avi");
    try (AviWriter w = AviWriter.create(file, 160, 120)) {
      for (int i = 0; i < 40; i++) {
        w.write(1_700_000_000_000_000L + i * 100_000L, TestJpegs.frame(i)); // 10 fps
      }
    }
    assertThat(AviTools.ffmpegErrors(file)).isEmpty();
    assertThat(AviTools.ffprobeFrames(file)).isEqualTo(40);
    assertThat(AviStructure.checkIndexes(file)).isEqualTo(40);
    assertThat(AviTools.ffprobeStream(file, "avg_frame_rate")).isIn("10/1", "10000/1000");
    assertThat(AviTools.ffprobeStream(file, "codec_name,width,height")).isEqualTo("mjpeg,160,120");
  }

  @Test
  void aFileBeyondOneRiffKeepsEveryFrameThroughTheOpenDmlIndex() throws Exception {
    Path file = dir.resolve("big.avi");
    int frames = 300;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.READ)) {
      AviWriter w = AviWriter.start(ch, 160, 120, 64 * 1024); // RIFFs of 64 KiB stand in for 1 GiB
      for (int i = 0; i < frames; i++) {
        w.write(1_700_000_000_000_000L + i * 40_000L, TestJpegs.frame(i));
      }
      w.close();
    }
    assertThat(AviTools.ffmpegErrors(file)).isEmpty();
    assertThat(AviTools.ffprobeFrames(file)).isEqualTo(frames);
    assertThat(AviStructure.checkIndexes(file)).isEqualTo(frames);
  }
}
