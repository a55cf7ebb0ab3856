package dev.camrelay.relay.internal.port.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.StandardHuffman;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} counts RTSP clients, the RTP packets, bytes and frames they were sent, and the frames re-coded to
 * the standard Huffman tables or refused.
 */
class RtspMetricsTest {

  @Test
  void aPlayingRtspClientShowsInTheMetrics() throws Exception {
    try (CameraRelay relay =
        CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0).rtspPort(0).build()) {
      relay.start();
      playAndScrape(relay);
    }
  }

  @Test
  void framesWithOtherHuffmanTablesCountAsRecodedAndFramesRtpCannotCarryAsRefused() throws Exception {
    try (CameraRelay relay =
        CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0).rtspPort(0).build()) {
      relay.start();
      byte[] optimal = TestJpegs.optimalHuffman(3, 320, 240);
      assertThat(StandardHuffman.usesStandardTables(JpegFrame.parse(optimal))).as("test frame's tables").isFalse();
      relay.publish("yard", TestJpegs.frame(1, 320, 240));
      try (RtspTestClient client = new RtspTestClient(relay.rtspPort())) {
        client.play(relay.rtspPort(), "yard");
        client.readInterleaved();
        assertThat(value(metrics(relay), "camrelay_rtsp_frames_recoded_total")).as("standard tables").isZero();
        relay.publish("yard", optimal);
        Await.until("the optimal-table frame is counted as re-coded",
            () -> value(metrics(relay), "camrelay_rtsp_frames_recoded_total") == 1);
        assertThat(value(metrics(relay), "camrelay_rtsp_frames_refused_total")).isZero();
        relay.publish("yard", TestJpegs.grayscale(320, 240));
        Await.until("the grayscale frame is counted as refused",
            () -> value(metrics(relay), "camrelay_rtsp_frames_refused_total") == 1);
      }
    }
  }

  private static void playAndScrape(CameraRelay relay) throws Exception {
    int port = relay.rtspPort();
    relay.publish("yard", TestJpegs.bigFrame(7, 320, 240));
    try (RtspTestClient client = new RtspTestClient(port)) {
      String base = "rtsp://127.0.0.1:" + port + "/yard/";
      RtspTestClient.Response setup = client.request("SETUP", base + "trackID=0",
          "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
      assertThat(setup.status()).isEqualTo(200);
      String session = setup.header("Session").substring(0, 16);
      assertThat(client.request("PLAY", base, "Session: " + session).status()).isEqualTo(200);
      client.readInterleaved();
      Await.until("the metrics count the RTSP client, its packets, bytes and frame", () -> {
        String text = metrics(relay);
        return value(text, "camrelay_rtsp_connections") == 1 && value(text, "camrelay_rtsp_packets_sent_total") >= 1
            && value(text, "camrelay_rtsp_payload_bytes_sent_total") > 1000
            && value(text, "camrelay_rtsp_frames_sent_total") >= 1
            && text.contains("camrelay_camera_output_viewers{camera=\"yard\",kind=\"rtsp\"} 1.0");
      });
    }
    Await.until("the closed RTSP client leaves the metrics",
        () -> value(metrics(relay), "camrelay_rtsp_connections") == 0);
  }

  private static String metrics(CameraRelay relay) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static double value(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
