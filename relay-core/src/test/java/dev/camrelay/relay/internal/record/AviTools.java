package dev.camrelay.relay.internal.record;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real players' view of a file: ffprobe's frame count, ffmpeg's decode errors. */
final class AviTools {
  private AviTools() {}

  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe")),
        "ffmpeg/ffprobe not installed at /usr/bin: skipping the real-player check");
  }

  /** Frames ffprobe decodes and counts in the file's video stream. */
  static long ffprobeFrames(Path file) {
    String out = run("/usr/bin/ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).trim();
    return Long.parseLong(out);
  }

  /** What ffmpeg says (at level error) decoding every frame of the file; empty when it decodes cleanly. */
  static String ffmpegErrors(Path file) {
    return run("/usr/bin/ffmpeg", "-v", "error", "-nostdin", "-i", file.toString(), "-f", "null", "-");
  }

  /** Prints ffprobe's stream header field, e.g. {@code avg_frame_rate}. */
  static String ffprobeStream(Path file, String field) {
    return run("/usr/bin/ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=" + field,
        "-of", "csv=p=0", file.toString()).trim();
  }

  private static String run(String... command) {
    try {
      Path out = Files.createTempFile("avitools", ".out");
      try {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("timed out: " + String.join(" ", command));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
