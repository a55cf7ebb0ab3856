package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.CollectingOutput;
import dev.camrelay.relay.testing.HttpRequestHead;
import dev.camrelay.relay.testing.TestJpegs;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A pulled stream whose Content-Type is not multipart (ffmpeg's {@code -f mpjpeg -listen 1} server says
 * {@code application/octet-stream}) is read by its body, as browsers and VLC do, when the body opens with a boundary
 * line; a body that does not is refused with a message that says both.
 */
class PullSniffTest {

  /** Serves one GET: the given Content-Type, then parts of {@code frames} in ffmpeg's mpjpeg layout, then holds. */
  private static Thread serve(ServerSocket server, String contentType, List<byte[]> frames, String body) {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        if (!HttpRequestHead.skip(in)) {
          return;
        }
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
          out.write(body.getBytes(StandardCharsets.US_ASCII));
        }
        for (byte[] jpeg : frames) {
          out.write(("--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: " + jpeg.length + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.write(jpeg);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        while (in.read() >= 0) {
          // hold the connection until the relay closes it
        }
      } catch (Exception e) {
        // the relay went away
      }
    }, "fake-ffmpeg-server");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void anOctetStreamThatOpensWithABoundaryLineIsReadAsMjpeg() throws Exception {
    List<byte[]> frames = List.of(TestJpegs.frame(1), TestJpegs.frame(2), TestJpegs.frame(3));
    List<byte[]> got = new CopyOnWriteArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serve(server, "application/octet-stream", frames, null);
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
      try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1)
          .pull("ffmpeg", url).build()) {
        // An output that is ready at once sees every frame (an onFrame listener is newest-wins: a burst may skip).
        relay.attachOutputs(id -> new CollectingOutput(got));
        relay.start();
        Await.until("the three frames arrive", () -> got.size() >= 3);
        assertThat(got).containsExactlyElementsOf(frames);
        assertThat(relay.camera("ffmpeg").orElseThrow().ingest()).isEqualTo("pull");
      }
    }
  }

  @Test
  void aBodyThatDoesNotOpenWithABoundaryIsRefusedSayingWhy() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serve(server, "text/html", List.of(), "<!doctype html><html><body>camera settings</body></html>\r\n");
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
      java.io.PrintStream original = System.err;
      java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
      try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1)
          .pull("page", url).build()) {
        relay.start();
        Await.until("the puller says why it gave up", () -> captured.toString(StandardCharsets.UTF_8)
            .contains("and the body does not start with a boundary line"));
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("text/html").contains("is not multipart");
        assertThat(relay.camera("page")).as("no camera for a page that is not a stream").isEmpty();
      } finally {
        System.setErr(original);
      }
    }
  }
}
