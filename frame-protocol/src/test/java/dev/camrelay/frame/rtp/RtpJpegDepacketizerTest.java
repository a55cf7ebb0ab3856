package dev.camrelay.frame.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RtpJpegDepacketizerTest {

  private static JpegFrame roundTrip(JpegFrame original, int payloadBytes) throws Exception {
    RtpJpegPayloads payloads = new RtpJpegPacketizer(payloadBytes).packetize(original);
    RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
    JpegFrame rebuilt = null;
    for (int i = 0; i < payloads.count(); i++) {
      JpegFrame done = depacketizer.accept(payloads.payload(i), i == payloads.count() - 1);
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
    JpegFrame rebuilt = roundTrip(original, 500);
    assertArrayEquals(pixels(original), pixels(rebuilt));
  }

  @Test
  void aLostPacketDropsTheFrameAndTheNextFrameComesWhole() throws Exception {
    JpegFrame original = JpegFrame.parse(Fixtures.bytes("standard-huffman-420.jpg"));
    RtpJpegPayloads payloads = new RtpJpegPacketizer(1400).packetize(original);
    RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
    for (int i = 0; i < payloads.count(); i++) {
      if (i != 2) { // packet 2 lost
        assertNull(depacketizer.accept(payloads.payload(i), i == payloads.count() - 1));
      }
    }
    JpegFrame next = null;
    for (int i = 0; i < payloads.count(); i++) {
      next = depacketizer.accept(payloads.payload(i), i == payloads.count() - 1);
    }
    assertArrayEquals(pixels(original), pixels(next));
  }

  @Test
  void headersItCannotUseAreRefusedWithTheReason() {
    RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
    RtpJpegException shortOne = assertThrows(RtpJpegException.class,
        () -> depacketizer.accept(ByteBuffer.wrap(new byte[] {0, 0, 0}), true));
    assertEquals("payload of 3 bytes is shorter than the RFC 2435 header", shortOne.getMessage());
    RtpJpegException lowQ = assertThrows(RtpJpegException.class,
        () -> depacketizer.accept(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 50, 40, 30, 1, 2}), true));
    assertEquals("Q 50: tables computed from Q are not handled, only in-band (Q >= 128)", lowQ.getMessage());
    RtpJpegException type = assertThrows(RtpJpegException.class,
        () -> depacketizer.accept(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 2, (byte) 255, 40, 30}), true));
    assertEquals("RTP/JPEG type 2 (only 0, 1, 64 and 65 are handled)", type.getMessage());
  }
}
