package dev.camrelay.frame.jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.frame.rtp.RtpJpegDepacketizer;
import dev.camrelay.frame.rtp.RtpJpegDepacketizerTest;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Frames made by ffmpeg at test time (default {@code -huffman optimal}), re-coded, then decoded by ffmpeg
 * itself: the pixels must be byte-for-byte those of the original. Skipped when ffmpeg is not installed.
 */
class HuffmanRecoderFfmpegTest {
  @TempDir static Path dir;

  @BeforeAll
  static void needsFfmpeg() {
    assumeTrue(available(), "ffmpeg is not installed; skipping the ffmpeg re-coding checks");
  }

  @ParameterizedTest(name = "{0} {1} q{2}")
  @CsvSource({
      "320x240, yuvj420p, 3",
      "320x240, yuvj422p, 3",
      "176x144, yuvj444p, 2",
      "800x600, yuvj420p, 4",
      "333x197, yuvj420p, 5",
      "1920x1080, yuvj420p, 10",
      "64x48, yuvj420p, 1"})
  void ffmpegDecodesTheRecodedFrameToTheSamePixels(String size, String pixFmt, int q) throws Exception {
    byte[] original = ffmpegJpeg(size, pixFmt, q, "optimal");
    JpegFrame frame = JpegFrame.parse(original);
    assertThat(StandardHuffman.usesStandardTables(frame)).isFalse();

    JpegFrame recoded = HuffmanRecoder.toStandardTables(frame);

    assertThat(StandardHuffman.usesStandardTables(recoded)).isTrue();
    assertThat(decode(recoded.toByteArray())).isEqualTo(decode(original));
    assertThat(JpegPixels.rgb(recoded.toByteArray())).isEqualTo(JpegPixels.rgb(original));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"320x240", "800x600", "1024x768"})
  void aRecodedFrameSentOverRtpJpegDecodesToTheOriginalPixels(String size) throws Exception {
    byte[] original = ffmpegJpeg(size, "yuvj420p", 3, "optimal");
    JpegFrame recoded = HuffmanRecoder.toStandardTables(JpegFrame.parse(original));

    RtpJpegDepacketizer receiver = new RtpJpegDepacketizer();
    JpegFrame received = RtpJpegDepacketizerTest.feed(receiver, RtpJpegDepacketizerTest.packets(
        recoded.toByteArray(), 255, 1400), 90_000);

    assertThat(received).isNotNull();
    assertThat(decode(received.toByteArray())).isEqualTo(decode(original));
  }

  /**
   * An independent RFC 2435 sender: ffmpeg's RTP muxer sends the re-coded frame over loopback UDP, the
   * depacketizer rebuilds it, and ffmpeg decodes that to the pixels of the original optimal-Huffman frame.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"320x240", "800x600"})
  void ffmpegsRtpJpegPacketsOfTheRecodedFrameRebuildToTheOriginalPixels(String size) throws Exception {
    byte[] original = ffmpegJpeg(size, "yuvj420p", 3, "optimal");
    Path recoded = dir.resolve("recoded-" + size + ".jpg");
    Files.write(recoded, HuffmanRecoder.toStandardTables(JpegFrame.parse(original)).toByteArray());

    RtpJpegDepacketizer receiver = new RtpJpegDepacketizer();
    JpegFrame received;
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(30_000);
      Process sender = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", recoded.toString(),
          "-c:v", "copy", "-f", "rtp", "rtp://127.0.0.1:" + socket.getLocalPort() + "?pkt_size=1200")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try {
        received = RtpJpegDepacketizerTest.receiveFrame(socket, receiver); // a timeout fails the test
      } finally {
        sender.destroy();
        sender.waitFor(30, TimeUnit.SECONDS);
      }
    }
    assertThat(decode(received.toByteArray())).isEqualTo(decode(original));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"yuvj420p", "yuvj422p"})
  void ffmpegFramesWithDefaultTablesAreLeftAlone(String pixFmt) throws Exception {
    JpegFrame frame = JpegFrame.parse(ffmpegJpeg("320x240", pixFmt, 3, "default"));
    assertThat(HuffmanRecoder.toStandardTables(frame)).isSameAs(frame);
  }

  private static byte[] ffmpegJpeg(String size, String pixFmt, int q, String huffman) throws Exception {
    Path out = dir.resolve(size + "-" + pixFmt + "-" + q + "-" + huffman + ".jpg");
    run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=" + size
        + ":rate=1", "-frames:v", "1", "-c:v", "mjpeg", "-huffman", huffman, "-q:v", Integer.toString(q),
        "-pix_fmt", pixFmt, out.toString());
    return Files.readAllBytes(out);
  }

  /** ffmpeg's own decoding of a JPEG: raw rgb24 pixels. */
  static byte[] decode(byte[] jpeg) throws Exception {
    Path in = Files.createTempFile(dir, "decode", ".jpg");
    Files.write(in, jpeg);
    return run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", in.toString(), "-f", "rawvideo",
        "-pix_fmt", "rgb24", "-");
  }

  static boolean available() {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static byte[] run(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] output = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
    assertThat(p.exitValue()).as("%s exit code", cmd).isZero();
    return output;
  }
}
