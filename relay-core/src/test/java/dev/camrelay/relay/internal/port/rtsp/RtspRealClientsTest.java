package dev.camrelay.relay.internal.port.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.StandardHuffman;
import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real RTSP clients read cameras from the RTSP port over loopback: ffmpeg/ffprobe (Debian package {@code ffmpeg}),
 * GStreamer's rtspsrc (packages {@code gstreamer1.0-tools gstreamer1.0-plugins-good}) and the motion daemon (package
 * {@code motion}). A missing client fails the test, naming the package to install. VLC is not among them: Debian
 * builds it without live555, so Debian's VLC has no RTSP client for cameras.
 */
class RtspRealClientsTest {
  private static final int WIDTH = 320;
  private static final int HEIGHT = 240;

  private CameraRelay relay;
  private final AtomicBoolean publishing = new AtomicBoolean(true);
  private Thread publisher;
  private int tcpPacketSize = RtpJpegPacketizer.MAX_PAYLOAD_BYTES;

  @AfterEach
  void stop() throws InterruptedException {
    publishing.set(false);
    if (publisher != null) {
      publisher.join(5000);
    }
    if (relay != null) {
      relay.close();
    }
  }

  /** Starts a relay with only the RTSP port and publishes {@code jpeg} as camera "cam" every 40 ms. */
  private int startPublishing(String viewerToken, byte[] jpeg) throws Exception {
    CameraRelay.Builder b = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .rtspTcpPacketSize(tcpPacketSize);
    if (viewerToken != null) {
      b.viewerToken(viewerToken);
    }
    relay = b.build();
    relay.start();
    relay.publish("cam", jpeg.clone());
    publisher = new Thread(() -> {
      while (publishing.get()) {
        try {
          relay.publish("cam", jpeg.clone());
          Thread.sleep(40);
        } catch (Exception e) {
          return;
        }
      }
    }, "test-publisher");
    publisher.start();
    return relay.rtspPort();
  }

  @ParameterizedTest(name = "-rtsp_transport {0}")
  @ValueSource(strings = {"tcp", "udp"})
  void ffmpegDecodesTheSamePixelsOverRtspAsFromTheOriginalJpeg(String transport) throws Exception {
    requireTool("/usr/bin/ffmpeg", "ffmpeg");
    assertSamePixelsOverRtsp(TestJpegs.bigFrame(3, WIDTH, HEIGHT), transport);
  }

  /** The compatibility setting for clients that cannot take ~64 KB interleaved packets: ~1400-byte ones as over UDP. */
  @Test
  void withTcpPacketsCappedAt1400BytesFfmpegDecodesTheSamePixelsOverTcp() throws Exception {
    requireTool("/usr/bin/ffmpeg", "ffmpeg");
    tcpPacketSize = 1400;
    assertSamePixelsOverRtsp(TestJpegs.bigFrame(3, WIDTH, HEIGHT), "tcp");
  }

  /** ffmpeg's own JPEGs carry image-specific ("optimal") Huffman tables: the relay re-codes them losslessly. */
  @Test
  void anOptimalHuffmanJpegIsReCodedAndFfmpegStillDecodesTheOriginalsPixels() throws Exception {
    requireTool("/usr/bin/ffmpeg", "ffmpeg");
    Tools.Result made = Tools.run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
        "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=1", "-frames:v", "1", "-pix_fmt", "yuvj420p", "-q:v", "4",
        "-c:v", "mjpeg", "-f", "image2pipe", "-");
    assertThat(made.exit()).as(made.stderr()).isZero();
    assertThat(StandardHuffman.usesStandardTables(
        JpegFrame.parse(made.stdout()))).as("ffmpeg's default tables").isFalse();
    assertSamePixelsOverRtsp(made.stdout(), "tcp");
  }

  private void assertSamePixelsOverRtsp(byte[] jpeg, String transport) throws Exception {
    Path original = Files.createTempFile("camrelay-rtsp", ".jpg");
    try {
      Files.write(original, jpeg);
      Tools.Result direct = Tools.run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-i",
          original.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
      assertThat(direct.exit()).as(direct.stderr()).isZero();
      assertThat(direct.stdout()).hasSize(WIDTH * HEIGHT * 3);

      int port = startPublishing(null, jpeg);
      Tools.Result streamed = Tools.run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
          "-rtsp_transport", transport, "-i", "rtsp://127.0.0.1:" + port + "/cam",
          "-frames:v", "3", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
      assertThat(streamed.exit()).as(streamed.stderr()).isZero();
      byte[] frames = streamed.stdout();
      assertThat(frames).as("3 decoded RGB frames of %dx%d", WIDTH, HEIGHT).hasSize(3 * WIDTH * HEIGHT * 3);
      for (int i = 0; i < 3; i++) {
        byte[] frame = Arrays.copyOfRange(frames, i * direct.stdout().length, (i + 1) * direct.stdout().length);
        assertThat(frame).as("frame %d equals the original's pixels", i).isEqualTo(direct.stdout());
      }
    } finally {
      Files.deleteIfExists(original);
    }
  }

  @Test
  void ffprobeSeesAnMjpegStreamOfTheCameraSize() throws Exception {
    requireTool("/usr/bin/ffprobe", "ffmpeg");
    int port = startPublishing(null, TestJpegs.frame(1, WIDTH, HEIGHT));
    Tools.Result probe = Tools.run("/usr/bin/ffprobe", "-v", "error", "-rtsp_transport", "tcp",
        "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height",
        "-of", "default=noprint_wrappers=1", "rtsp://127.0.0.1:" + port + "/cam");
    assertThat(probe.exit()).as(probe.stderr()).isZero();
    assertThat(probe.stdoutText()).contains("codec_name=mjpeg", "width=" + WIDTH, "height=" + HEIGHT);
  }

  /** ffmpeg answers the Digest challenge when the URL has credentials (it prefers Digest over Basic). */
  @Test
  void ffmpegWithTheTokenAsPasswordWatchesAndWithoutItGets401() throws Exception {
    requireTool("/usr/bin/ffmpeg", "ffmpeg");
    int port = startPublishing("s3cret", TestJpegs.frame(2, WIDTH, HEIGHT));
    Tools.Result refused = Tools.run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
        "-rtsp_transport", "tcp", "-i", "rtsp://127.0.0.1:" + port + "/cam", "-frames:v", "1", "-f", "null", "-");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.stderr()).contains("401");
    Tools.Result basic = Tools.run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
        "-rtsp_transport", "tcp", "-i", "rtsp://nvr:s3cret@127.0.0.1:" + port + "/cam", "-frames:v", "2",
        "-f", "null", "-");
    assertThat(basic.exit()).as(basic.stderr()).isZero();
    Tools.Result query = Tools.run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
        "-rtsp_transport", "tcp", "-i", "rtsp://127.0.0.1:" + port + "/cam?token=s3cret", "-frames:v", "2",
        "-f", "null", "-");
    assertThat(query.exit()).as(query.stderr()).isZero();
  }

  @Test
  void ffmpegWithoutChoosingATransportPlays() throws Exception {
    requireTool("/usr/bin/ffmpeg", "ffmpeg");
    int port = startPublishing(null, TestJpegs.frame(5, WIDTH, HEIGHT));
    Tools.Result r = Tools.run("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
        "-i", "rtsp://127.0.0.1:" + port + "/cam", "-frames:v", "2", "-f", "null", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }

  @ParameterizedTest(name = "protocols={0}")
  @ValueSource(strings = {"tcp", "udp"})
  void gstreamerRtspsrcDepayloadsAndDecodesFrames(String protocols) throws Exception {
    requireTool("/usr/bin/gst-launch-1.0", "gstreamer1.0-tools gstreamer1.0-plugins-good");
    int port = startPublishing(null, TestJpegs.frame(4, WIDTH, HEIGHT));
    Tools.Result gst = Tools.run("/usr/bin/gst-launch-1.0", "-q",
        "rtspsrc", "location=rtsp://127.0.0.1:" + port + "/cam", "protocols=" + protocols, "!",
        "rtpjpegdepay", "!", "jpegdec", "!", "video/x-raw,width=" + WIDTH + ",height=" + HEIGHT, "!",
        "fakesink", "num-buffers=3");
    assertThat(gst.exit()).as(gst.stdoutText() + gst.stderr()).isZero();
  }

  /**
   * The motion daemon (Debian package {@code motion}) takes the {@code rtsp://} URL as a network camera through
   * libavformat, over interleaved TCP, and writes a snapshot picture every second. Its web control and stream ports
   * are off, so it opens no listening socket.
   */
  @Test
  void theMotionDaemonRecordsPicturesFromTheRtspUrl(@TempDir Path dir) throws Exception {
    requireTool("/usr/bin/motion", "motion");
    requireTool("/usr/bin/ffprobe", "ffmpeg");
    int port = startPublishing(null, TestJpegs.frame(6, WIDTH, HEIGHT));
    Path pictures = Files.createDirectory(dir.resolve("pictures"));
    Path log = dir.resolve("motion.log");
    Path config = dir.resolve("motion.conf");
    Files.writeString(config, String.join("\n", "daemon off", "setup_mode off", "log_file " + log, "log_level 7",
        "target_dir " + pictures, "netcam_url rtsp://127.0.0.1:" + port + "/cam",
        "netcam_params rtsp_transport=tcp", "width " + WIDTH, "height " + HEIGHT, "framerate 5",
        "picture_output off", "movie_output off", "snapshot_interval 1", "snapshot_filename snap-%Y%m%d%H%M%S",
        "webcontrol_port 0", "stream_port 0", ""));
    Process motion = new ProcessBuilder("/usr/bin/motion", "-n", "-c", config.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("motion.out").toFile()).start();
    try {
      Await.until("motion wrote a snapshot picture", Duration.ofSeconds(60),
          () -> firstSnapshot(pictures) != null);
      Path snapshot = firstSnapshot(pictures);
      Tools.Result probe = Tools.run("/usr/bin/ffprobe", "-v", "error", "-select_streams", "v:0",
          "-show_entries", "stream=codec_name,width,height", "-of", "default=noprint_wrappers=1",
          snapshot.toString());
      assertThat(probe.exit()).as(probe.stderr()).isZero();
      assertThat(probe.stdoutText()).contains("codec_name=mjpeg", "width=" + WIDTH, "height=" + HEIGHT);
      assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as("motion's log")
          .contains("option: rtsp_transport = tcp", "Camera ((null)) connected");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nmotion's log:\n" + readIfExists(log), e);
    } finally {
      motion.descendants().forEach(ProcessHandle::destroy);
      motion.destroy();
      if (!motion.waitFor(10, TimeUnit.SECONDS)) {
        motion.descendants().forEach(ProcessHandle::destroyForcibly);
        motion.destroyForcibly();
      }
    }
  }

  private static Path firstSnapshot(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("snap-")
          && p.getFileName().toString().endsWith(".jpg")).findFirst().orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readIfExists(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "(none)";
  }

  private static void requireTool(String path, String debianPackages) {
    assertThat(Files.isExecutable(Path.of(path)))
        .as("%s is not installed: this test needs it (apt-get install %s)", path, debianPackages).isTrue();
  }
}
