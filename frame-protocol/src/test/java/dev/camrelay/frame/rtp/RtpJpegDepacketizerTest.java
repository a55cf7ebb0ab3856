package dev.camrelay.frame.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import dev.camrelay.frame.jpeg.JpegPixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The depacketizer against payloads built by hand from RFC 2435's header layout (see {@link #packets}), not by
 * the production packetizer, so the two are checked independently.
 */
public class RtpJpegDepacketizerTest {

  @Test
  void type1WithInBandTablesIsRebuiltToTheSamePixels() throws Exception {
    byte[] jpeg = JpegPixels.encode(320, 240, BufferedImage.TYPE_INT_RGB, false, 0);
    List<byte[]> packets = packets(jpeg, 255, 1000);
    assertThat(packets.size()).isGreaterThan(3);
    assertThat(packets.get(0)[4]).isEqualTo((byte) 1); // type 1: 4:2:0

    RtpJpegDepacketizer d = new RtpJpegDepacketizer();
    JpegFrame frame = feed(d, packets, 9000);
    assertThat(frame).isNotNull();
    JpegInfo info = JpegInfo.of(frame);
    assertThat(info.width()).isEqualTo(320);
    assertThat(info.height()).isEqualTo(240);
    assertThat(JpegPixels.rgb(frame.toByteArray())).isEqualTo(JpegPixels.rgb(jpeg));
    assertThat(d.framesCompleted()).isEqualTo(1);
    assertThat(d.framesDropped()).isZero();
  }

  @Test
  void restartHeaderAndType0BecomeDriAnd422() throws Exception {
    byte[] jpeg = JpegPixels.encode(320, 240, BufferedImage.TYPE_INT_RGB, false, 7, 0.8f, true, false);
    List<byte[]> packets = packets(jpeg, 255, 1400);
    assertThat(packets.get(0)[4] & 0xFF).isEqualTo(64);

    JpegFrame frame = feed(new RtpJpegDepacketizer(), packets, 1);
    assertThat(frame).isNotNull();
    byte[] b = frame.toByteArray();
    assertThat(indexOf(b, new byte[] {(byte) 0xFF, (byte) 0xDD, 0, 4, 0, 7})).isPositive();
    assertThat(indexOf(b, new byte[] {3, 1, 0x21, 0})).as("luminance sampled 2x1").isPositive();
    assertThat(JpegPixels.rgb(b)).isEqualTo(JpegPixels.rgb(jpeg));
  }

  @Test
  void ffmpegsRestartMarkersTravelAsType65() throws Exception {
    byte[] jpeg = Fixtures.bytes("recoder/ffmpeg-sliced-420-restart.jpg"); // standard tables, DRI, 4:2:0
    List<byte[]> packets = packets(jpeg, 255, 1400);
    assertThat(packets.get(0)[4] & 0xFF).isEqualTo(65);

    JpegFrame frame = feed(new RtpJpegDepacketizer(), packets, 1);
    assertThat(frame).isNotNull();
    assertThat(JpegPixels.rgb(frame.toByteArray())).isEqualTo(JpegPixels.rgb(jpeg));
  }

  @Test
  void qFactorTablesMatchTheIjgScalingOfTheStandardTables() throws Exception {
    // ImageIO's quality q/100 scales the Annex K tables like RFC 2435 Appendix A does for Q = q, so the frame can
    // travel without its tables and still decode to the same pixels.
    for (int q : new int[] {20, 50, 80}) {
      byte[] jpeg = JpegPixels.encode(160, 96, BufferedImage.TYPE_INT_RGB, false, 0, q / 100f, false, false);
      JpegFrame frame = feed(new RtpJpegDepacketizer(), packets(jpeg, q, 700), 5);
      assertThat(frame).as("Q %d", q).isNotNull();
      assertThat(JpegPixels.rgb(frame.toByteArray())).as("Q %d", q).isEqualTo(JpegPixels.rgb(jpeg));
    }
  }

  @Test
  void theLargestSizeRtpJpegCanDescribeIsRebuilt() throws Exception {
    byte[] jpeg = JpegPixels.encode(2040, 16, BufferedImage.TYPE_INT_RGB, false, 0);
    List<byte[]> packets = packets(jpeg, 255, 1400);
    assertThat(packets.get(0)[6] & 0xFF).isEqualTo(255);

    JpegFrame frame = feed(new RtpJpegDepacketizer(), packets, 1);
    assertThat(frame).isNotNull();
    assertThat(JpegInfo.of(frame).width()).isEqualTo(2040);
    assertThat(JpegPixels.rgb(frame.toByteArray())).isEqualTo(JpegPixels.rgb(jpeg));
  }

  @Test
  void aLostMiddleFragmentDropsTheFrameAndTheNextFrameArrives() throws Exception {
    byte[] jpeg = JpegPixels.encode(320, 240, BufferedImage.TYPE_INT_RGB, false, 0);
    List<byte[]> packets = packets(jpeg, 255, 1000);
    List<byte[]> lossy = new ArrayList<>(packets);
    lossy.remove(2);

    RtpJpegDepacketizer d = new RtpJpegDepacketizer();
    assertThat(feed(d, lossy, 100)).isNull();
    assertThat(d.framesDropped()).isEqualTo(1);
    assertThat(d.lastDropReason()).contains("lost or reordered");
    assertThat(feed(d, packets, 3100)).isNotNull();
    assertThat(d.framesCompleted()).isEqualTo(1);
  }

  @Test
  void reorderedFragmentsDropTheFrame() throws Exception {
    List<byte[]> packets = new ArrayList<>(packets(JpegPixels.encode(320, 240, BufferedImage.TYPE_INT_RGB, false, 0), 255, 1000));
    byte[] second = packets.remove(1);
    packets.add(2, second);

    RtpJpegDepacketizer d = new RtpJpegDepacketizer();
    assertThat(feed(d, packets, 7)).isNull();
    assertThat(d.framesDropped()).isEqualTo(1);
  }

  @Test
  void aFrameWithoutItsMarkerPacketIsDroppedWhenTheNextTimestampArrives() throws Exception {
    List<byte[]> packets = packets(JpegPixels.encode(320, 240, BufferedImage.TYPE_INT_RGB, false, 0), 255, 1000);
    RtpJpegDepacketizer d = new RtpJpegDepacketizer();
    for (byte[] p : packets.subList(0, packets.size() - 1)) {
      assertThat(d.push(p, 0, p.length, false, 10)).isNull();
    }
    assertThat(d.framesDropped()).isZero();
    assertThat(feed(d, packets, 20)).isNotNull();
    assertThat(d.framesDropped()).isEqualTo(1);
    assertThat(d.lastDropReason()).contains("last packet");
  }

  @Test
  void q255WithoutTablesAndUnknownTypesAreDropped() throws Exception {
    byte[] jpeg = JpegPixels.encode(64, 64, BufferedImage.TYPE_INT_RGB, false, 0);
    List<byte[]> packets = packets(jpeg, 255, 100_000);
    byte[] noTables = packets.get(0).clone();
    noTables[10] = 0;
    noTables[11] = 0;
    RtpJpegDepacketizer d = new RtpJpegDepacketizer();
    assertThat(d.push(noTables, 0, noTables.length, true, 1)).isNull();
    assertThat(d.lastDropReason()).contains("without quantization tables");

    byte[] type7 = packets.get(0).clone();
    type7[4] = 7;
    assertThat(d.push(type7, 0, type7.length, true, 2)).isNull();
    assertThat(d.lastDropReason()).contains("type 7");
    assertThat(d.framesDropped()).isEqualTo(2);
  }

  @Test
  void tablesForQ128To254AreReusedWhenALaterFrameOmitsThem() throws Exception {
    byte[] jpeg = JpegPixels.encode(64, 64, BufferedImage.TYPE_INT_RGB, false, 0);
    byte[] first = packets(jpeg, 200, 100_000).get(0);
    RtpJpegDepacketizer d = new RtpJpegDepacketizer();
    assertThat(d.push(first, 0, first.length, true, 1)).isNotNull();
    // Same frame again with Length 0 and no table bytes.
    int tablesLength = ((first[10] & 0xFF) << 8) | (first[11] & 0xFF);
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    again.write(first, 0, 10);
    again.write(0);
    again.write(0);
    again.write(first, 12 + tablesLength, first.length - 12 - tablesLength);
    byte[] p = again.toByteArray();
    JpegFrame frame = d.push(p, 0, p.length, true, 2);
    assertThat(frame).isNotNull();
    assertThat(JpegPixels.rgb(frame.toByteArray())).isEqualTo(JpegPixels.rgb(jpeg));
  }

  @Test
  void lateDuplicatesOfAFinishedFrameAreIgnored() throws Exception {
    List<byte[]> packets = packets(JpegPixels.encode(64, 48, BufferedImage.TYPE_INT_RGB, false, 0), 255, 300);
    RtpJpegDepacketizer d = new RtpJpegDepacketizer();
    assertThat(feed(d, packets, 5)).isNotNull();
    byte[] last = packets.get(packets.size() - 1);
    assertThat(d.push(last, 0, last.length, true, 5)).isNull();
    assertThat(d.framesDropped()).isZero();
  }

  /**
   * Receives RTP packets on {@code socket} (12-byte header plus CSRCs, no extension, as ffmpeg and GStreamer send
   * them) and pushes their payloads until a frame completes; fails if a frame is dropped or nothing arrives in
   * the socket's timeout.
   */
  public static JpegFrame receiveFrame(DatagramSocket socket, RtpJpegDepacketizer receiver) throws IOException {
    byte[] buf = new byte[65536];
    for (;;) {
      DatagramPacket packet = new DatagramPacket(buf, buf.length);
      socket.receive(packet);
      int headerLength = 12 + 4 * (buf[0] & 0x0F);
      assertThat(buf[1] & 0x7F).as("payload type").isEqualTo(26);
      boolean marker = (buf[1] & 0x80) != 0;
      long timestamp = ((buf[4] & 0xFFL) << 24) | ((buf[5] & 0xFF) << 16) | ((buf[6] & 0xFF) << 8) | (buf[7] & 0xFF);
      JpegFrame frame = receiver.push(buf, headerLength, packet.getLength() - headerLength, marker, timestamp);
      assertThat(receiver.framesDropped()).as("dropped: %s", receiver.lastDropReason()).isZero();
      if (frame != null) {
        return frame;
      }
    }
  }

  // ---- a minimal hand-written RFC 2435 sender, for these tests only ----

  public static JpegFrame feed(RtpJpegDepacketizer d, List<byte[]> packets, long timestamp) {
    JpegFrame out = null;
    for (int i = 0; i < packets.size(); i++) {
      byte[] p = packets.get(i);
      JpegFrame f = d.push(p, 0, p.length, i == packets.size() - 1, timestamp);
      if (f != null) {
        out = f;
      }
    }
    return out;
  }

  /**
   * RTP/JPEG payloads for a baseline YCbCr JPEG with the standard Huffman tables (4:2:0 → type 1, 4:2:2 →
   * type 0, +64 with a DRI): Q 1..99 sends no tables, Q 128..255 sends the DQT tables in the first packet;
   * each payload carries at most {@code maxData} scan bytes.
   */
  public static List<byte[]> packets(byte[] jpeg, int q, int maxData) {
    ByteArrayOutputStream tables = new ByteArrayOutputStream();
    int width = 0;
    int height = 0;
    int type = 1;
    int dri = 0;
    int pos = 2;
    int scanStart = -1;
    while (scanStart < 0) {
      int code = jpeg[pos + 1] & 0xFF;
      int len = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
      int body = pos + 4;
      if (code == 0xDB) {
        for (int t = body; t < pos + 2 + len; t += 65) {
          tables.write(jpeg, t + 1, 64);
        }
      } else if (code == 0xC0) {
        height = ((jpeg[body + 1] & 0xFF) << 8) | (jpeg[body + 2] & 0xFF);
        width = ((jpeg[body + 3] & 0xFF) << 8) | (jpeg[body + 4] & 0xFF);
        type = (jpeg[body + 7] & 0xFF) == 0x21 ? 0 : 1;
      } else if (code == 0xDD) {
        dri = ((jpeg[body] & 0xFF) << 8) | (jpeg[body + 1] & 0xFF);
      } else if (code == 0xDA) {
        scanStart = pos + 2 + len;
      }
      pos += 2 + len;
    }
    int scanEnd = jpeg.length - 2; // without the EOI
    List<byte[]> out = new ArrayList<>();
    for (int off = scanStart; off < scanEnd || out.isEmpty(); off += maxData) {
      int n = Math.min(maxData, scanEnd - off);
      ByteArrayOutputStream p = new ByteArrayOutputStream();
      int fragment = off - scanStart;
      p.write(0);
      p.write(fragment >> 16);
      p.write(fragment >> 8);
      p.write(fragment);
      p.write(dri > 0 ? type + 64 : type);
      p.write(q);
      p.write(width / 8);
      p.write(height / 8);
      if (dri > 0) {
        p.write(dri >> 8);
        p.write(dri);
        p.write(0xFF); // F = L = 1, count 0x3FFF: the whole frame
        p.write(0xFF);
      }
      if (fragment == 0 && q >= 128) {
        p.write(0);
        p.write(0);
        p.write(tables.size() >> 8);
        p.write(tables.size());
        p.writeBytes(tables.toByteArray());
      }
      p.write(jpeg, off, n);
      out.add(p.toByteArray());
    }
    return out;
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
