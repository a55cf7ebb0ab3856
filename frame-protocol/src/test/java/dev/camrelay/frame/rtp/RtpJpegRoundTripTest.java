package dev.camrelay.frame.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packetizer's payloads, fed to the depacketizer, rebuild a JPEG that decodes to the original's pixels. */
class RtpJpegRoundTripTest {
  private static final long TIMESTAMP = 90_000;

  /** Feeds payload {@code i} of {@code payloads}; the marker is on the last one, as a sender sets it. */
  private static JpegFrame feed(RtpJpegDepacketizer depacketizer, RtpJpegPayloads payloads, int i, long timestamp) {
    ByteBuffer p = payloads.payload(i);
    byte[] bytes = new byte[p.remaining()];
    p.get(bytes);
    return depacketizer.push(bytes, 0, bytes.length, i == payloads.count() - 1, timestamp);
  }

  private static JpegFrame roundTrip(JpegFrame original, int payloadBytes) throws Exception {
    RtpJpegPayloads payloads = new RtpJpegPacketizer(payloadBytes).packetize(original);
    RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
    JpegFrame rebuilt = null;
    for (int i = 0; i < payloads.count(); i++) {
      JpegFrame done = feed(depacketizer, payloads, i, TIMESTAMP);
      if (i < payloads.count() - 1) {
        assertNull(done, "no frame before the marker");
      }
      rebuilt = done;
    }
    assertNotNull(rebuilt);
    return rebuilt;
  }

  private static int[] pixels(JpegFrame frame) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.toByteArray()));
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  @ParameterizedTest
  @ValueSource(strings = {"standard-huffman-420.jpg", "restart-markers.jpg"})
  void theRebuiltJpegDecodesToTheOriginalsPixels(String fixture) throws Exception {
    JpegFrame original = JpegFrame.parse(Fixtures.bytes(fixture));
    assertArrayEquals(pixels(original), pixels(roundTrip(original, 500)));
  }

  @Test
  void aLostPacketDropsTheFrameAndTheNextFrameComesWhole() throws Exception {
    JpegFrame original = JpegFrame.parse(Fixtures.bytes("standard-huffman-420.jpg"));
    RtpJpegPayloads payloads = new RtpJpegPacketizer(1400).packetize(original);
    RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
    for (int i = 0; i < payloads.count(); i++) {
      if (i != 2) { // packet 2 lost
        assertNull(feed(depacketizer, payloads, i, TIMESTAMP));
      }
    }
    JpegFrame next = null;
    for (int i = 0; i < payloads.count(); i++) {
      next = feed(depacketizer, payloads, i, TIMESTAMP + 3000);
    }
    assertArrayEquals(pixels(original), pixels(next));
  }
}
