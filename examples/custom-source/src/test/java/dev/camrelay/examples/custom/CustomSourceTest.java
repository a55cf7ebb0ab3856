package dev.camrelay.examples.custom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CustomSourceTest {
  @Test
  @Timeout(60)
  void publishedFramesAreServedAsSnapshotsAndListedAsAJavaCamera() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (CustomSource source = new CustomSource("clock", 20, null, 0, 0, new PrintStream(printed, true))) {
      int port = source.relay().httpPort();
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Open http://localhost:" + port + "/")
          .contains("/cam/clock/stream.mjpeg");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<byte[]> snapshot;
      do { // the first frame is published at once; poll until the relay serves it
        Thread.sleep(50);
        snapshot = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/cam/clock/snapshot.jpg")).build(), HttpResponse.BodyHandlers.ofByteArray());
      } while (snapshot.statusCode() == 503 || snapshot.statusCode() == 404);
      assertThat(snapshot.statusCode()).isEqualTo(200);
      JpegInfo info = JpegInfo.of(JpegFrame.parse(snapshot.body()));
      assertThat(info.width()).isEqualTo(320);
      assertThat(info.height()).isEqualTo(240);

      String cameras = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cameras"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(cameras).contains("\"id\":\"clock\"").contains("\"ingest\":\"java\"");
      assertThat(source.published()).isPositive();
    }
  }

  @Test
  void clockFramesAreCompleteJpegs() throws Exception {
    JpegInfo info = JpegInfo.of(JpegFrame.parse(CustomSource.clock(7)));
    assertThat(info.width()).isEqualTo(320);
  }
}
