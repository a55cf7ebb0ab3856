package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.ShareLinkSigner;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14: at the most verbose level ({@code -vv}, which also turns up the network libraries) no token reaches
 * the log, whichever way a client sends it, scoped viewer tokens and share links included. Runs the command in its own JVM, because logging is configured once per
 * JVM.
 */
@Timeout(120)
class VerboseLogTokenTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final String VIEWER = "v-SECRET-1";
  private static final String CAMERA = "c-SECRET-2";
  private static final String CONTROL = "k-SECRET-3";
  private static final String SCOPED = "s-SECRET-4";

  @TempDir
  Path dir;

  @Test
  void noTokenAppearsInTheOutputAtMinusVv() throws Exception {
    Path out = dir.resolve("stdout.log");
    Path err = dir.resolve("stderr.log");
    ProcessBuilder pb = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
        CamrelayCommand.class.getName(), "-vv", "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
        "--http-port", "0", "--rtsp-port", "0", "--status-interval", "0s")
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CAMRELAY_"));
    pb.environment().putAll(Map.of("CAMRELAY_VIEWER_TOKEN", VIEWER + " porch=" + SCOPED,
        "CAMRELAY_CAMERA_TOKEN", CAMERA, "CAMRELAY_CONTROL_TOKEN", CONTROL));
    String shareLink = ShareLinkSigner.withViewerToken(VIEWER).sign("porch", Duration.ofHours(1));
    Process p = pb.start();
    try {
      String banner = Await.until("the banner", () -> {
        if (!p.isAlive()) {
          throw new AssertionError("camrelay exited with " + p.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out);
      }, s -> s.contains("Ctrl-C"));
      int http = port(banner, "http://localhost:(\\d+)/");
      int ws = port(banner, "ws://localhost:(\\d+)/");
      int tcp = port(banner, "tcp://[^ ]+:(\\d+)");

      // WebSocket viewers: the token in the query, in the bearer subprotocol, and a wrong one (refused).
      assertThat(open(ws, "/cam/porch?token=" + VIEWER, Map.of(), null)).isEqualTo("open");
      assertThat(open(ws, "/cam/porch", Map.of(), "bearer." + VIEWER)).isEqualTo("open");
      assertThat(open(ws, "/cam/porch?token=wrong-" + VIEWER, Map.of(), null)).startsWith("closed");
      // A WebSocket camera with the camera token in the Authorization header; control with the control token.
      assertThat(open(ws, "/ingest/porch", Map.of("Authorization", "Bearer " + CAMERA), null)).isEqualTo("open");
      assertThat(open(ws, "/cam/porch?token=" + CONTROL, Map.of(), "camrelay.v1")).isEqualTo("open");
      // A scoped token and a share link, on their camera and (refused) on another.
      assertThat(open(ws, "/cam/porch", Map.of(), "bearer." + SCOPED)).isEqualTo("open");
      assertThat(open(ws, "/cam/garage?token=" + SCOPED, Map.of(), null)).startsWith("closed");
      assertThat(open(ws, "/cam/porch", Map.of(), "bearer." + shareLink)).isEqualTo("open");
      assertThat(open(ws, "/cam/garage?token=" + shareLink, Map.of(), null)).startsWith("closed");

      // HTTP: query, header, and a refused one.
      HttpClient client = HttpClient.newHttpClient();
      URI cameras = URI.create("http://127.0.0.1:" + http + "/api/cameras");
      assertThat(client.send(HttpRequest.newBuilder(URI.create(cameras + "?token=" + VIEWER)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      assertThat(client.send(HttpRequest.newBuilder(cameras).header("Authorization", "Bearer " + CONTROL).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      assertThat(client.send(HttpRequest.newBuilder(URI.create(cameras + "?token=wrong-" + VIEWER)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
      URI garage = URI.create("http://127.0.0.1:" + http + "/cam/garage/snapshot.jpg");
      assertThat(client.send(HttpRequest.newBuilder(URI.create(garage + "?token=" + shareLink)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
      assertThat(client.send(HttpRequest.newBuilder(garage).header("Authorization", "Bearer " + SCOPED).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);

      // A browser pointed at the camera port by mistake.
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", tcp), 10_000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("GET /cam/porch/stream.mjpeg?token=" + VIEWER + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400");
      }
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    String log = Files.readString(out) + Files.readString(err);
    assertThat(log).as("-vv logs at trace level").contains("[TRACE]").contains("[DEBUG]");
    List<String> leaks = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.contains("SECRET") || line.contains(shareLink.substring(shareLink.lastIndexOf('.') + 1))) {
        leaks.add(line);
      }
    }
    assertThat(leaks).as("log lines with a token").isEmpty();
  }

  private static int port(String banner, String regex) {
    Matcher m = Pattern.compile(regex).matcher(banner);
    assertThat(m.find()).as("%s in the banner:%n%s", regex, banner).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** Opens a WebSocket and closes it again; returns "open" or "closed ..." with the reason. */
  private static String open(int port, String path, Map<String, String> headers, String subprotocol)
      throws InterruptedException {
    List<IProtocol> protocols = subprotocol == null ? List.of(new Protocol("")) : List.of(new Protocol(subprotocol));
    String[] closed = new String[1];
    WebSocketClient c = new WebSocketClient(URI.create("ws://127.0.0.1:" + port + path),
        new Draft_6455(List.<IExtension>of(), protocols), headers) {
      @Override
      public void onOpen(ServerHandshake handshake) {}

      @Override
      public void onMessage(String message) {}

      @Override
      public void onMessage(ByteBuffer bytes) {}

      @Override
      public void onClose(int code, String reason, boolean remote) {
        closed[0] = code + " " + reason;
      }

      @Override
      public void onError(Exception ex) {}
    };
    boolean opened = c.connectBlocking(20, TimeUnit.SECONDS);
    if (opened) {
      c.closeBlocking();
    }
    return opened ? "open" : "closed " + closed[0];
  }
}
