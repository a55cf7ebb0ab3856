package dev.camrelay.frame.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.frame.jpeg.JpegPixels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GStreamer's {@code rtpjpegpay} as an independent RFC 2435 sender over loopback UDP (restart marker types 64/65,
 * in-band tables); skipped when gst-launch-1.0 is not installed.
 */
class RtpJpegDepacketizerGstreamerTest {
  @TempDir Path dir;

  @BeforeAll
  static void needsGstreamer() {
    boolean available;
    try {
      Process p = new ProcessBuilder("gst-inspect-1.0", "rtpjpegpay").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      available = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      available = false;
    }
    assumeTrue(available, "GStreamer's rtpjpegpay is not installed; skipping");
  }

  @Test
  void type65WithRestartMarkersFromGstreamerIsRebuiltToTheSamePixels() throws Exception {
    byte[] jpeg = Fixtures.bytes("recoder/ffmpeg-sliced-420-restart.jpg");
    JpegFrame frame = receiveFromGstreamer(jpeg, 320, 240);
    assertThat(JpegPixels.rgb(frame.toByteArray())).isEqualTo(JpegPixels.rgb(jpeg));
  }

  @Test
  void type64FourTwoTwoFromGstreamerIsRebuiltToTheSamePixels() throws Exception {
    byte[] jpeg = JpegPixels.encode(256, 128, BufferedImage.TYPE_INT_RGB, false, 5, 0.7f, true, false);
    JpegFrame frame = receiveFromGstreamer(jpeg, 256, 128);
    assertThat(JpegInfo.of(frame).width()).isEqualTo(256);
    assertThat(JpegPixels.rgb(frame.toByteArray())).isEqualTo(JpegPixels.rgb(jpeg));
  }

  private JpegFrame receiveFromGstreamer(byte[] jpeg, int width, int height) throws Exception {
    Path file = dir.resolve("in.jpg");
    Files.write(file, jpeg);
    RtpJpegDepacketizer receiver = new RtpJpegDepacketizer();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(30_000);
      Process sender = new ProcessBuilder("gst-launch-1.0", "-q", "filesrc", "location=" + file, "blocksize=16777216",
          "!", "image/jpeg,width=" + width + ",height=" + height + ",framerate=1/1", "!", "rtpjpegpay", "mtu=1200",
          "!", "udpsink", "host=127.0.0.1", "port=" + socket.getLocalPort())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try {
        return RtpJpegDepacketizerTest.receiveFrame(socket, receiver); // a timeout fails the test
      } finally {
        sender.destroy();
        sender.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
