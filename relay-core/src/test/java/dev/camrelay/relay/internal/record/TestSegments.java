package dev.camrelay.relay.internal.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Finished segments as the recorder leaves them ({@code DIR/{id}/{start}.avi} with its {@code .times} sidecar),
 * written with the recorder's own {@link AviWriter} and {@link FrameTimes}, for tests of the read side.
 */
public final class TestSegments {
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private TestSegments() {}

  /** Frames ffprobe decodes and counts in a file (skips the test when ffmpeg is not installed). */
  public static long ffprobeFrames(Path file) {
    AviTools.assumeInstalled();
    return AviTools.ffprobeFrames(file);
  }

  /** What ffmpeg says (at level error) decoding every frame of the file; empty when it decodes cleanly. */
  public static String ffmpegErrors(Path file) {
    AviTools.assumeInstalled();
    return AviTools.ffmpegErrors(file);
  }

  /** Frames ffprobe counts in an MJPEG (multipart) stream at {@code url}, read with its mpjpeg demuxer. */
  public static long ffprobeMjpegFrames(String url) throws IOException, InterruptedException {
    AviTools.assumeInstalled();
    Path out = Files.createTempFile("ffprobe", ".out");
    try {
      Process p = new ProcessBuilder("/usr/bin/ffprobe", "-v", "error", "-f", "mpjpeg", "-count_frames",
          "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", url)
          // Over HTTP ffmpeg says at error level that a stream without Content-Length "ends prematurely": stderr
          // is not the answer.
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("ffprobe timed out on " + url);
      }
      String text = Files.readString(out).trim();
      if (p.exitValue() != 0) {
        throw new AssertionError("ffprobe failed: " + text);
      }
      return Long.parseLong(text);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** One frame to write: its wall-clock time and its JPEG. */
  public record Frame(long epochMicros, byte[] jpeg) {}

  /** Writes one finished segment of {@code frames} (at least one, in time order); returns its AVI file. */
  public static Path write(Path dir, String cameraId, int width, int height, List<Frame> frames)
      throws IOException {
    Path camera = dir.resolve(cameraId);
    Files.createDirectories(camera);
    long start = frames.get(0).epochMicros();
    Path avi = camera.resolve(NAME.format(Instant.ofEpochSecond(start / 1_000_000, start % 1_000_000 * 1000))
        + ".avi");
    try (AviWriter w = AviWriter.create(avi, width, height);
        FileChannel times = FileChannel.open(FrameTimes.sidecarOf(avi), StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      times.write(FrameTimes.header());
      for (Frame f : frames) {
        long offset = w.write(f.epochMicros(), ByteBuffer.wrap(f.jpeg()));
        ByteBuffer record = ByteBuffer.allocate(FrameTimes.RECORD_BYTES);
        FrameTimes.put(record, new FrameTimes.Entry(f.epochMicros(), f.epochMicros(), offset, f.jpeg().length));
        times.write(record.flip());
      }
    }
    return avi;
  }
}
