package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.HttpRequestHead;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A camera pulled from an MJPEG URL (the ESP32 web server's :81/stream) reaches WebSocket viewers unchanged. */
class PullTest {

  @Test
  void pulledMjpegStreamReachesViewersByteIdentical() throws Exception {
    BlockingQueue<byte[]> toSend = new LinkedBlockingQueue<>();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread camera = new Thread(() -> serveMjpeg(server, toSend), "fake-esp32-http");
      camera.setDaemon(true);
      camera.start();
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stream");
      try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
          .pull("esp", url).build()) {
        relay.start();
        ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/esp");
        for (int i = 0; i < 5; i++) {
          byte[] jpeg = TestJpegs.frame(i, 320, 240);
          toSend.add(jpeg);
          assertThat(viewer.nextFrame()).isEqualTo(jpeg);
        }
        Await.until("the pulled camera shows as connected", () -> relay.cameras().stream()
            .anyMatch(c -> c.id().equals("esp") && c.connected() && "pull".equals(c.ingest())));
        viewer.closeBlocking();
      }
    }
  }

  /** Answers one GET like the ESP32 CameraWebServer: multipart parts with Content-Length, until the socket closes. */
  private static void serveMjpeg(ServerSocket server, BlockingQueue<byte[]> frames) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      if (!HttpRequestHead.skip(in)) {
        return;
      }
      OutputStream out = s.getOutputStream();
      String boundary = "123456789000000000000987654321";
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=" + boundary
          + "\r\nTransfer-Encoding: chunked\r\nAccess-Control-Allow-Origin: *\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      while (true) {
        byte[] jpeg = frames.poll(30, TimeUnit.SECONDS);
        if (jpeg == null) {
          return;
        }
        byte[] head = ("\r\n--" + boundary + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        chunk(out, head);
        chunk(out, jpeg);
        out.flush();
      }
    } catch (Exception e) {
      // the relay went away
    }
  }

  private static void chunk(OutputStream out, byte[] data) throws java.io.IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }
}
