package dev.camrelay.relay.internal.port.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.rtp.RtpJpegDepacketizer;
import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.frame.rtp.RtpJpegPayloads;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RTSP port's protocol, byte by byte, with a bare socket client over loopback. */
class RtspServerTest {
  private CameraRelay relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  private int start(String viewerToken) throws Exception {
    CameraRelay.Builder b = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0);
    if (viewerToken != null) {
      b.viewerToken(viewerToken);
    }
    relay = b.build();
    relay.start();
    return relay.rtspPort();
  }

  private int viewers(String camera) {
    return relay.camera(camera).map(CameraStats::viewers).orElse(-1);
  }

  @Test
  void describeAnswersWithAnSdpOfJpegOverRtpAndTheControlBase() throws Exception {
    int port = start(null);
    relay.publish("yard", TestJpegs.frame(1, 320, 240));
    try (RtspTestClient client = new RtspTestClient(port)) {
      RtspTestClient.Response options = client.request("OPTIONS", "rtsp://127.0.0.1:" + port + "/yard");
      assertThat(options.status()).isEqualTo(200);
      assertThat(options.header("CSeq")).isEqualTo("1");
      assertThat(options.header("Public")).contains("DESCRIBE", "SETUP", "PLAY", "TEARDOWN", "GET_PARAMETER");

      RtspTestClient.Response describe = client.request("DESCRIBE", "rtsp://127.0.0.1:" + port + "/yard",
          "Accept: application/sdp");
      assertThat(describe.status()).isEqualTo(200);
      assertThat(describe.header("Content-Type")).isEqualTo("application/sdp");
      assertThat(describe.header("Content-Base")).isEqualTo("rtsp://127.0.0.1:" + port + "/yard/");
      assertThat(describe.body()).startsWith("v=0\r\n")
          .contains("m=video 0 RTP/AVP 26\r\n", "a=rtpmap:26 JPEG/90000\r\n", "a=control:trackID=0\r\n",
              "a=x-dimensions:320,240\r\n", "a=framesize:26 320-240\r\n");
    }
  }

  @Test
  void unknownCameraIs404AndMulticastIs461() throws Exception {
    int port = start(null);
    relay.publish("yard", TestJpegs.frame(1));
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("DESCRIBE", "rtsp://127.0.0.1:" + port + "/nope").status()).isEqualTo(404);
      RtspTestClient.Response udp = client.request("SETUP", "rtsp://127.0.0.1:" + port + "/yard/trackID=0",
          "Transport: RTP/AVP;multicast;port=5000-5001");
      assertThat(udp.status()).isEqualTo(461);
      assertThat(udp.body()).contains("RTP/AVP/TCP;unicast;interleaved=0-1", "RTP/AVP;unicast;client_port=");
    }
  }

  @Test
  void playSendsEachFrameAsWholeRtpPacketsThenASenderReport() throws Exception {
    int port = start(null);
    byte[] jpeg = TestJpegs.bigFrame(7, 640, 480); // over 64 KB: several interleaved packets
    relay.publish("yard", jpeg);
    try (RtspTestClient client = new RtspTestClient(port)) {
      String base = "rtsp://127.0.0.1:" + port + "/yard/";
      RtspTestClient.Response setup = client.request("SETUP", base + "trackID=0",
          "Transport: RTP/AVP/TCP;unicast;interleaved=2-3");
      assertThat(setup.status()).isEqualTo(200);
      assertThat(setup.header("Transport")).startsWith("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=");
      String session = setup.header("Session");
      assertThat(session).matches("[0-9A-F]{16};timeout=60");
      String sessionId = session.substring(0, 16);
      RtspTestClient.Response play = client.request("PLAY", base, "Session: " + sessionId);
      assertThat(play.status()).isEqualTo(200);
      assertThat(play.header("Session")).startsWith(sessionId);

      // The latest frame goes out at once: its packets, back to back, the marker bit on the last one only. Over TCP
      // they are as large as an interleaved packet carries (no MTU to fit).
      RtpJpegPayloads expected = new RtpJpegPacketizer(RtpJpegPacketizer.MAX_PAYLOAD_BYTES)
          .packetize(JpegFrame.parse(jpeg));
      assertThat(expected.count()).isGreaterThan(1);
      List<byte[]> packets = new ArrayList<>();
      for (int i = 0; i < expected.count(); i++) {
        RtspTestClient.Interleaved p = client.readInterleaved();
        assertThat(p.channel()).isEqualTo(2);
        packets.add(p.data());
      }
      ByteBuffer first = ByteBuffer.wrap(packets.get(0));
      int ssrc = first.getInt(8);
      assertThat(setup.header("Transport")).endsWith(String.format("ssrc=%08X", ssrc));
      for (int i = 0; i < packets.size(); i++) {
        ByteBuffer p = ByteBuffer.wrap(packets.get(i));
        boolean last = i == packets.size() - 1;
        assertThat(p.get(0) & 0xFF).as("version 2, no padding, extension or CSRC").isEqualTo(0x80);
        assertThat(p.get(1) & 0xFF).as("payload type 26, marker on the last packet").isEqualTo(last ? 0x80 + 26 : 26);
        assertThat(p.getShort(2) & 0xFFFF).as("sequence").isEqualTo(((first.getShort(2) & 0xFFFF) + i) & 0xFFFF);
        assertThat(p.getInt(4)).as("one timestamp per frame").isEqualTo(first.getInt(4));
        assertThat(p.getInt(8)).isEqualTo(ssrc);
        byte[] payload = new byte[p.remaining() - 12];
        p.get(12, payload);
        assertThat(payload).isEqualTo(bytes(expected.payload(i)));
      }
      RtspTestClient.Interleaved report = client.readInterleaved();
      assertThat(report.channel()).isEqualTo(3);
      ByteBuffer sr = ByteBuffer.wrap(report.data());
      assertThat(sr.get(1) & 0xFF).as("RTCP sender report").isEqualTo(200);
      assertThat(sr.getInt(4)).isEqualTo(ssrc);
      assertThat(sr.getInt(16)).as("RTP timestamp of the frame").isEqualTo(first.getInt(4));
      assertThat(sr.getInt(20)).as("packets sent").isEqualTo(expected.count());
      assertThat(sr.get(29) & 0xFF).as("then SDES").isEqualTo(202);
      assertThat(new String(report.data(), 38, 8, StandardCharsets.US_ASCII)).isEqualTo("camrelay");
      assertThat(viewers("yard")).isEqualTo(1);

      // Keep-alive, then an interleaved RTCP packet from the client (skipped), then TEARDOWN detaches.
      assertThat(client.request("GET_PARAMETER", base, "Session: " + sessionId).status()).isEqualTo(200);
      client.sendRaw(new byte[] {'$', 3, 0, 8, (byte) 0x80, (byte) 201, 0, 1, 1, 2, 3, 4});
      assertThat(client.request("TEARDOWN", base, "Session: " + sessionId).status()).isEqualTo(200);
      Await.until("the client is detached", () -> viewers("yard") == 0);
      assertThat(client.request("PLAY", base, "Session: " + sessionId).status()).as("session gone").isEqualTo(454);
    }
  }

  @Test
  void withTheTcpPacketSizeCappedAFrameGoesOutInPacketsOfAtMostThatPayloadThatReassembleToIt() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .rtspTcpPacketSize(1400).build();
    relay.start();
    int port = relay.rtspPort();
    byte[] jpeg = TestJpegs.frame(2, 320, 240);
    relay.publish("yard", jpeg);
    try (RtspTestClient client = new RtspTestClient(port)) {
      String base = "rtsp://127.0.0.1:" + port + "/yard/";
      RtspTestClient.Response setup = client.request("SETUP", base + "trackID=0",
          "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
      assertThat(client.request("PLAY", base, "Session: " + setup.header("Session").substring(0, 16)).status())
          .isEqualTo(200);

      RtpJpegPayloads expected = new RtpJpegPacketizer(1400).packetize(JpegFrame.parse(jpeg));
      assertThat(expected.count()).as("packets of one frame").isGreaterThan(1);
      RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
      JpegFrame received = null;
      for (int i = 0; i < expected.count(); ) {
        RtspTestClient.Interleaved p = client.readInterleaved();
        if (p.channel() != 0) {
          continue; // RTCP
        }
        assertThat(p.data().length - 12).as("payload of packet %d", i).isLessThanOrEqualTo(1400);
        ByteBuffer rtp = ByteBuffer.wrap(p.data());
        assertThat(Arrays.copyOfRange(p.data(), 12, p.data().length)).isEqualTo(bytes(expected.payload(i)));
        received = depacketizer.push(p.data(), 12, p.data().length - 12, (rtp.get(1) & 0x80) != 0, rtp.getInt(4));
        i++;
      }
      assertThat(received).as("reassembled on the marker bit").isNotNull();
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(received.toByteArray()));
      assertThat(image.getWidth()).isEqualTo(320);
      assertThat(image.getHeight()).isEqualTo(240);
    }
  }

  @Test
  void setupOverUdpNamesTheServerPortsAndPlaySendsTheFrameThere() throws Exception {
    int port = start(null);
    byte[] jpeg = TestJpegs.frame(3, 320, 240);
    relay.publish("yard", jpeg);
    try (RtspTestClient client = new RtspTestClient(port);
        java.net.DatagramSocket rtp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      rtp.setSoTimeout(10_000);
      String base = "rtsp://127.0.0.1:" + port + "/yard/";
      RtspTestClient.Response setup = client.request("SETUP", base + "trackID=0",
          "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + (rtp.getLocalPort() + 1));
      assertThat(setup.status()).isEqualTo(200);
      assertThat(setup.header("Transport")).matches("RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-"
          + (rtp.getLocalPort() + 1) + ";server_port=\\d+-\\d+;ssrc=[0-9A-F]{8}");
      client.request("PLAY", base, "Session: " + setup.header("Session").substring(0, 16));
      RtpJpegPayloads expected = new RtpJpegPacketizer(RtpJpegPacketizer.DEFAULT_PAYLOAD_BYTES)
          .packetize(JpegFrame.parse(jpeg));
      for (int i = 0; i < expected.count(); i++) {
        java.net.DatagramPacket d = new java.net.DatagramPacket(new byte[2048], 2048);
        rtp.receive(d);
        assertThat(d.getData()[1] & 0xFF).isEqualTo(i == expected.count() - 1 ? 0x80 + 26 : 26);
        assertThat(java.util.Arrays.copyOfRange(d.getData(), 12, d.getLength())).isEqualTo(bytes(expected.payload(i)));
      }
    }
  }

  /**
   * One client never reads (a tiny receive window) while another reads: the reader keeps getting whole frames, each
   * with all its packets, and the stuck one is disconnected once its frame has not gone out for the stall timeout.
   */
  @Test
  void aStalledClientIsDroppedAfterTheStallTimeoutWhileAReaderGetsWholeFrames() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .viewerStallTimeout(java.time.Duration.ofMillis(800)).build();
    relay.start();
    int port = relay.rtspPort();
    byte[][] frames = {TestJpegs.bigFrame(1, 640, 480), TestJpegs.bigFrame(2, 640, 480)};
    assertThat(frames[0].length).as("frames must dwarf the socket buffers").isGreaterThan(150_000);
    relay.publish("yard", frames[0]);
    java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
    try (RtspTestClient stuck = new RtspTestClient(port, 4096); RtspTestClient reader = new RtspTestClient(port)) {
      stuck.play(port, "yard");
      reader.play(port, "yard");
      Thread publisher = publishInTurns(frames, 0, 50, publishing);
      try {
        RtpJpegPacketizer packetizer = new RtpJpegPacketizer(RtpJpegPacketizer.MAX_PAYLOAD_BYTES);
        List<RtpJpegPayloads> expected = List.of(packetizer.packetize(JpegFrame.parse(frames[0])),
            packetizer.packetize(JpegFrame.parse(frames[1])));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (viewers("yard") == 2 && System.nanoTime() < deadline) {
          List<byte[]> frame = reader.readFrame();
          RtpJpegPayloads which = expected.stream()
              .filter(e -> java.util.Arrays.equals(bytes(e.payload(0)), frame.get(0))).findFirst()
              .orElseThrow(() -> new AssertionError("the first packet is of neither published frame"));
          assertThat(frame).hasSize(which.count());
          for (int i = 0; i < frame.size(); i++) {
            assertThat(java.util.Arrays.equals(frame.get(i), bytes(which.payload(i)))).as("packet %d", i).isTrue();
          }
        }
        assertThat(viewers("yard")).as("the stuck client was detached").isEqualTo(1);
        reader.readFrame(); // and the reader goes on
        // (not drained: through a 4 KB window the megabytes the kernel holds for the stuck client take many seconds)
      } finally {
        publishing.set(false);
        publisher.join(5000);
      }
    }
  }

  /**
   * A client reading slowly through a small window while frames keep coming: a one-packet frame the socket takes
   * only in part (its rest queued behind it) still arrives whole, each packet after the last with the next sequence
   * number, nothing of another frame or an RTCP report in between.
   */
  @Test
  void aSlowClientGetsEachOnePacketFrameWholeAndInSequence() throws Exception {
    int port = start(null);
    byte[][] frames = {TestJpegs.bigFrame(1, 256, 192), TestJpegs.bigFrame(2, 256, 192)};
    for (byte[] f : frames) {
      assertThat(f.length).as("far larger than the client's window").isGreaterThan(20_000);
    }
    List<byte[]> expected = onePacketPayloads(frames);
    relay.publish("yard", frames[0]);
    java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
    try (RtspTestClient client = new RtspTestClient(port, 4096)) {
      client.play(port, "yard");
      Thread publisher = publishInTurns(frames, 1, 5, publishing);
      try {
        Integer lastSequence = null;
        for (int n = 0; n < 40; ) {
          RtspTestClient.Interleaved p = client.readInterleaved();
          if (p.channel() != 0) {
            continue; // an RTCP report, between frames
          }
          lastSequence = assertWholeOnePacketFrameAfter(lastSequence, p, expected);
          if (++n % 8 == 0) {
            Thread.sleep(200); // a slow reader: the relay's socket fills and takes frames in part
          }
        }
      } finally {
        publishing.set(false);
        publisher.join(5000);
      }
    }
  }

  /**
   * Frames are written straight from the hub's thread while the connection's event loop answers requests on the same
   * socket: with a slow reader (partial writes) and keep-alive requests coming all the time, every response arrives
   * whole and in order between packets, and every packet is a whole frame in sequence.
   */
  @Test
  void keepAliveAnswersWhileFramesStreamToASlowReaderNeverLandInsideAPacket() throws Exception {
    int port = start(null);
    byte[][] frames = {TestJpegs.bigFrame(3, 256, 192), TestJpegs.bigFrame(4, 256, 192)};
    List<byte[]> expected = onePacketPayloads(frames);
    relay.publish("yard", frames[0]);
    int requests = 60;
    java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
    try (RtspTestClient client = new RtspTestClient(port, 4096)) {
      String session = client.play(port, "yard");
      Thread publisher = publishInTurns(frames, 1, 2, publishing);
      Thread asker = new Thread(() -> {
        String base = "rtsp://127.0.0.1:" + port + "/yard/";
        for (int i = 0; i < requests; i++) {
          // CSeq 3.. (OPTIONS-less play used 1 and 2)
          String req = "GET_PARAMETER " + base + " RTSP/1.0\r\nCSeq: " + (i + 3) + "\r\nSession: " + session
              + "\r\n\r\n";
          try {
            client.sendRaw(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Thread.sleep(3);
          } catch (Exception e) {
            return;
          }
        }
      });
      asker.start();
      try {
        int answered = 0;
        int packets = 0;
        Integer lastSequence = null;
        while (answered < requests) {
          Object next = client.readPacketOrResponse();
          if (next instanceof RtspTestClient.Response r) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("CSeq")).as("responses whole and in order").isEqualTo(Integer.toString(answered + 3));
            answered++;
            continue;
          }
          RtspTestClient.Interleaved p = (RtspTestClient.Interleaved) next;
          if (p.channel() != 0) {
            continue; // an RTCP report, between frames
          }
          lastSequence = assertWholeOnePacketFrameAfter(lastSequence, p, expected);
          if (++packets % 4 == 0) {
            Thread.sleep(20); // a slow reader: the relay's socket fills and takes frames in part
          }
        }
        assertThat(packets).as("frames kept coming").isGreaterThan(10);
      } finally {
        publishing.set(false);
        publisher.join(5000);
        asker.join(5000);
      }
    }
  }

  /**
   * Checks that {@code p} is a whole one-packet frame (marker set, its payload one of {@code expected}) numbered right
   * after {@code lastSequence} (null: the first); returns its sequence number.
   */
  private static int assertWholeOnePacketFrameAfter(Integer lastSequence, RtspTestClient.Interleaved p,
      List<byte[]> expected) {
    ByteBuffer b = ByteBuffer.wrap(p.data());
    assertThat(b.get(1) & 0xFF).as("payload type 26 with the marker: the frame's only packet").isEqualTo(0x80 + 26);
    int sequence = b.getShort(2) & 0xFFFF;
    if (lastSequence != null) {
      assertThat(sequence).as("sequence").isEqualTo((lastSequence + 1) & 0xFFFF);
    }
    byte[] payload = java.util.Arrays.copyOfRange(p.data(), 12, p.data().length);
    assertThat(expected.stream().anyMatch(e -> java.util.Arrays.equals(e, payload))).as("a whole frame").isTrue();
    return sequence;
  }

  /** The RTP payload each of {@code frames} goes out as over TCP: one packet each. */
  private static List<byte[]> onePacketPayloads(byte[][] frames) throws Exception {
    RtpJpegPacketizer packetizer = new RtpJpegPacketizer(RtpJpegPacketizer.MAX_PAYLOAD_BYTES);
    List<byte[]> payloads = new ArrayList<>();
    for (byte[] f : frames) {
      RtpJpegPayloads p = packetizer.packetize(JpegFrame.parse(f));
      assertThat(p.count()).as("one packet").isEqualTo(1);
      payloads.add(bytes(p.payload(0)));
    }
    return payloads;
  }

  /** Publishes {@code frames} in turns from {@code first}, every {@code everyMs}, while {@code publishing}. */
  private Thread publishInTurns(byte[][] frames, int first, long everyMs,
      java.util.concurrent.atomic.AtomicBoolean publishing) {
    Thread publisher = new Thread(() -> {
      for (int i = first; publishing.get(); i++) {
        try {
          relay.publish("yard", frames[i % frames.length].clone());
          Thread.sleep(everyMs);
        } catch (Exception e) {
          return;
        }
      }
    });
    publisher.start();
    return publisher;
  }

  /**
   * A client that resets its connection in the middle of a frame, while frames keep coming (it reads through a small
   * window, so the relay's writes to it from the hub's thread soon stop being taken whole), is dropped; the client
   * watching alongside keeps getting whole frames in sequence, and a new client can play.
   */
  @Test
  void aClientResetMidFrameIsDroppedAndTheOthersKeepGettingWholeFrames() throws Exception {
    int port = start(null);
    byte[][] frames = {TestJpegs.bigFrame(5, 256, 192), TestJpegs.bigFrame(6, 256, 192)};
    List<byte[]> expected = onePacketPayloads(frames);
    relay.publish("yard", frames[0]);
    java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
    try (RtspTestClient watcher = new RtspTestClient(port); RtspTestClient quitter = new RtspTestClient(port, 4096)) {
      watcher.play(port, "yard");
      quitter.play(port, "yard");
      Await.until("2 viewers", () -> viewers("yard") == 2);
      Thread publisher = publishInTurns(frames, 1, 5, publishing);
      try {
        quitter.skipBytes(1000); // into its first frame's packet, which the relay could not write at once
        quitter.abort();
        Await.until("the reset client detached", () -> viewers("yard") == 1);
        Integer lastSequence = null;
        for (int n = 0; n < 20; n++) {
          RtspTestClient.Interleaved p = watcher.readInterleaved();
          if (p.channel() == 0) {
            lastSequence = assertWholeOnePacketFrameAfter(lastSequence, p, expected);
          }
        }
        try (RtspTestClient newcomer = new RtspTestClient(port)) {
          newcomer.play(port, "yard");
          byte[] first = newcomer.readFrame().get(0);
          assertThat(expected).anyMatch(e -> java.util.Arrays.equals(e, first));
        }
      } finally {
        publishing.set(false);
        publisher.join(5000);
      }
    }
  }

  @Test
  void fiftyClientsEachGetTheFrameWhole() throws Exception {
    int port = start(null);
    byte[] jpeg = TestJpegs.bigFrame(9, 320, 240);
    relay.publish("yard", jpeg);
    RtpJpegPayloads expected = new RtpJpegPacketizer(RtpJpegPacketizer.MAX_PAYLOAD_BYTES)
        .packetize(JpegFrame.parse(jpeg));
    List<RtspTestClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        RtspTestClient client = new RtspTestClient(port);
        clients.add(client);
        client.play(port, "yard");
      }
      Await.until("50 viewers", () -> viewers("yard") == 50);
      for (RtspTestClient client : clients) {
        List<byte[]> frame = client.readFrame();
        assertThat(frame).hasSize(expected.count());
        for (int i = 0; i < frame.size(); i++) {
          assertThat(java.util.Arrays.equals(frame.get(i), bytes(expected.payload(i)))).as("packet %d", i).isTrue();
        }
      }
    } finally {
      for (RtspTestClient client : clients) {
        client.close();
      }
    }
    Await.until("all 50 detached", () -> viewers("yard") == 0);
  }

  @Test
  void aFrameRtpCannotCarryIsSkippedAndTheNextOneSent() throws Exception {
    int port = start(null);
    relay.publish("yard", TestJpegs.frame(1, 320, 240));
    try (RtspTestClient client = new RtspTestClient(port)) {
      String base = "rtsp://127.0.0.1:" + port + "/yard/";
      String session = client.request("SETUP", base + "trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")
          .header("Session").substring(0, 16);
      client.request("PAUSE", base, "Session: " + session);
      byte[] grayscale = TestJpegs.grayscale(320, 240);
      relay.publish("yard", grayscale);
      client.request("PLAY", base, "Session: " + session);
      byte[] good = TestJpegs.frame(2, 320, 240);
      relay.publish("yard", good);
      RtpJpegPayloads expected = new RtpJpegPacketizer(RtpJpegPacketizer.MAX_PAYLOAD_BYTES)
          .packetize(JpegFrame.parse(good));
      byte[] firstPayload = client.readInterleaved().data();
      assertThat(ByteBuffer.wrap(firstPayload, 12, firstPayload.length - 12).slice())
          .isEqualTo(expected.payload(0));
    }
  }

  @Test
  void withAViewerTokenDescribeNeedsItAsBasicPasswordOrQueryAndOptionsDoesNot() throws Exception {
    int port = start("s3cret");
    relay.publish("yard", TestJpegs.frame(1));
    String url = "rtsp://127.0.0.1:" + port + "/yard";
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("OPTIONS", url).status()).isEqualTo(200);
      RtspTestClient.Response missing = client.request("DESCRIBE", url);
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.header("WWW-Authenticate")).matches(
          "Digest realm=\"camrelay\", nonce=\"[0-9a-f]+\", algorithm=MD5, qop=\"auth\"\nBasic realm=\"camrelay\"");
      RtspTestClient.Response wrong = client.request("DESCRIBE", url, "Authorization: Basic " + basic("admin:nope"));
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain("nope");
      assertThat(client.request("DESCRIBE", url + "?token=nope").status()).isEqualTo(401);
    }
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("DESCRIBE", url, "Authorization: Basic " + basic("anyone:s3cret")).status())
          .isEqualTo(200);
      assertThat(client.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")
          .status()).as("the connection stays trusted without the query on control URLs").isEqualTo(200);
    }
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("DESCRIBE", url + "?token=s3cret").status()).isEqualTo(200);
    }
  }

  /** A relay with viewer token "s3cret" and "n3ighb0ur" for camera "yard" only; cameras "yard" and "porch". */
  private int startWithScopedToken() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .viewerToken("s3cret").viewerToken("n3ighb0ur", java.util.Set.of("yard")).build();
    relay.start();
    relay.publish("yard", TestJpegs.frame(1));
    relay.publish("porch", TestJpegs.frame(2));
    return relay.rtspPort();
  }

  @Test
  void aScopedViewerTokenWatchesItsCameraAndGets403ForAnother() throws Exception {
    int port = startWithScopedToken();
    String base = "rtsp://127.0.0.1:" + port + "/";
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("DESCRIBE", base + "yard", "Authorization: Basic " + basic("x:n3ighb0ur")).status())
          .isEqualTo(200);
      assertThat(client.request("DESCRIBE", base + "porch").status())
          .as("the token this connection proved opens only 'yard'").isEqualTo(401);
      assertThat(client.request("DESCRIBE", base + "porch", "Authorization: Basic " + basic("x:n3ighb0ur")).status())
          .isEqualTo(403);
    }
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("DESCRIBE", base + "porch?token=n3ighb0ur").status()).isEqualTo(403);
    }
  }

  @Test
  void aScopedViewerTokenAsDigestPasswordWatchesItsCameraAndGets403ForAnother() throws Exception {
    int port = startWithScopedToken();
    String yard = "rtsp://127.0.0.1:" + port + "/yard";
    String porch = "rtsp://127.0.0.1:" + port + "/porch";
    try (RtspTestClient client = new RtspTestClient(port)) {
      String nonce = nonce(client.request("DESCRIBE", yard));
      assertThat(client.request("DESCRIBE", yard, digest("nvr", "n3ighb0ur", "DESCRIBE", yard, nonce)).status())
          .isEqualTo(200);
      assertThat(client.request("DESCRIBE", porch, digest("nvr", "n3ighb0ur", "DESCRIBE", porch, nonce)).status())
          .as("a scoped token opens only its cameras").isEqualTo(403);
      assertThat(client.request("DESCRIBE", porch, digest("nvr", "wrong", "DESCRIBE", porch, nonce)).status())
          .isEqualTo(401);
      assertThat(client.request("DESCRIBE", porch, digest("nvr", "s3cret", "DESCRIBE", porch, nonce)).status())
          .as("the global token after the scoped one").isEqualTo(200);
    }
  }

  @Test
  void anRtspSessionOpenedWithAShareLinkEndsWhenTheLinkExpires() throws Exception {
    String shareKey = "a-share-key-of-24-chars!";
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .shareKey(shareKey).build();
    relay.start();
    int port = relay.rtspPort();
    relay.publish("yard", TestJpegs.frame(1));
    String link = dev.camrelay.relay.ShareLinkSigner.withShareKey(shareKey).sign("yard",
        java.time.Duration.ofSeconds(4));
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("DESCRIBE", "rtsp://127.0.0.1:" + port + "/yard?token=" + link).status())
          .isEqualTo(200);
      client.play(port, "yard");
      assertThat(client.readFrame()).isNotEmpty();
      Await.until("the RTSP client watches", () -> viewers("yard") == 1);
      assertThat(client.closedByServer()).as("the session ends with the link").isTrue();
      Await.until("the client no longer watches", () -> viewers("yard") == 0);
    }
    try (RtspTestClient late = new RtspTestClient(port)) {
      RtspTestClient.Response refused = late.request("DESCRIBE", "rtsp://127.0.0.1:" + port + "/yard?token=" + link);
      assertThat(refused.status()).isEqualTo(401);
    }
  }

  /** The nonce of the Digest challenge in a 401 response. */
  private static String nonce(RtspTestClient.Response unauthorized) {
    assertThat(unauthorized.status()).isEqualTo(401);
    String challenge = unauthorized.header("WWW-Authenticate").split("\n")[0];
    return RtspDigest.parameters(challenge.substring(7)).get("nonce");
  }

  /** An RFC 2617 Digest {@code Authorization} header line (qop=auth) with {@code password}. */
  private static String digest(String user, String password, String method, String url, String nonce) {
    String ha1 = RtspDigest.md5(user + ":camrelay:" + password);
    String ha2 = RtspDigest.md5(method + ":" + url);
    String response = RtspDigest.md5(ha1 + ":" + nonce + ":00000001:c0ffee:auth:" + ha2);
    return "Authorization: Digest username=\"" + user + "\", realm=\"camrelay\", nonce=\"" + nonce + "\", uri=\""
        + url + "\", qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"" + response + "\"";
  }

  @Test
  void afterTooManyWrongTokensAnAddressGets429WithRetryAfterEvenWithTheRightOne() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).rtspPort(0)
        .viewerToken("s3cret").authThrottle(2, java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60))
        .build();
    relay.start();
    int port = relay.rtspPort();
    relay.publish("yard", TestJpegs.frame(1));
    String url = "rtsp://127.0.0.1:" + port + "/yard";
    try (RtspTestClient client = new RtspTestClient(port)) {
      assertThat(client.request("DESCRIBE", url + "?token=a").status()).isEqualTo(401);
      assertThat(client.request("DESCRIBE", url + "?token=b").status()).isEqualTo(401);
      RtspTestClient.Response refused = client.request("DESCRIBE", url + "?token=s3cret");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).matches("\\d+");
      assertThat(refused.body()).contains("too many failed token attempts");
    }
  }

  @Test
  void digestWithTheTokenAsPasswordIsAcceptedAndAWrongOneRefused() throws Exception {
    int port = start("s3cret");
    relay.publish("yard", TestJpegs.frame(1));
    String url = "rtsp://127.0.0.1:" + port + "/yard";
    try (RtspTestClient client = new RtspTestClient(port)) {
      String challenge = client.request("DESCRIBE", url).header("WWW-Authenticate").split("\n")[0];
      String nonce = RtspDigest.parameters(challenge.substring(7)).get("nonce");
      // RFC 2617 3.2.2 with qop=auth, computed step by step.
      String ha1 = RtspDigest.md5("nvr:camrelay:nope");
      String ha2 = RtspDigest.md5("DESCRIBE:" + url);
      String wrong = RtspDigest.md5(ha1 + ":" + nonce + ":00000001:c0ffee:auth:" + ha2);
      assertThat(client.request("DESCRIBE", url, "Authorization: Digest username=\"nvr\", realm=\"camrelay\", nonce=\""
          + nonce + "\", uri=\"" + url + "\", qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"" + wrong + "\"")
          .status()).isEqualTo(401);
      ha1 = RtspDigest.md5("nvr:camrelay:s3cret");
      String right = RtspDigest.md5(ha1 + ":" + nonce + ":00000001:c0ffee:auth:" + ha2);
      assertThat(client.request("DESCRIBE", url, "Authorization: Digest username=\"nvr\", realm=\"camrelay\", nonce=\""
          + nonce + "\", uri=\"" + url + "\", qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"" + right + "\"")
          .status()).isEqualTo(200);
    }
  }

  @Test
  void aRequestThatIsNotRtspGets400AndTheConnectionCloses() throws Exception {
    int port = start(null);
    try (RtspTestClient client = new RtspTestClient(port)) {
      client.sendRaw("hello there\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(client.readResponse().status()).isEqualTo(400);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  private static String basic(String userPass) {
    return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (b.hasRemaining()) {
      out.write(b.get());
    }
    return out.toByteArray();
  }
}
