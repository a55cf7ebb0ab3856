package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.testing.FakeCamera;
import dev.camrelay.relay.testing.RawWs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every control message of a {@code camrelay.v1} viewer gets exactly one control-reply, however many arrive at
 * once (beyond the rate limit the reply is the "rate limited" error); a viewer that keeps sending and never reads
 * its replies is closed (1008) instead of making the relay hold them without bound.
 */
class ControlReplyTest {
  private static final Map<String, String> V1 = Map.of("Sec-WebSocket-Protocol", "camrelay.v1");
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    // No tokens and loopback only: control is open. A long control timeout: only a missing reply can fail here.
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1)
        .controlTimeout(Duration.ofSeconds(30)).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private static String command(int id) {
    return "{\"type\":\"control\",\"id\":" + id + ",\"command\":{\"cmd\":\"status\"}}";
  }

  /** A server frame that is not a text message: answers pings, fails on close. Returns the text, or null. */
  private static String textOf(RawWs ws, RawWs.Frame f) throws IOException {
    switch (f.opcode()) {
      case 1 -> {
        return new String(f.payload(), StandardCharsets.UTF_8);
      }
      case 8 -> throw new AssertionError("the relay closed the viewer: " + closeOf(f));
      case 9 -> ws.sendFrame(10, f.payload());
      default -> {
        // binary or pong: not expected here, and not a reply
      }
    }
    return null;
  }

  private static String closeOf(RawWs.Frame close) {
    ByteBuffer b = ByteBuffer.wrap(close.payload());
    int code = b.remaining() >= 2 ? b.getShort() & 0xFFFF : -1;
    return code + " " + StandardCharsets.UTF_8.decode(b);
  }

  @Test
  void hundredCommandsAtOnceGetExactlyOneReplyEach() throws Exception {
    int n = 100;
    try (FakeCamera cam = FakeCamera.framed(relay.tcpPort(), "cam", null, Hello.CONTROL)
        .answerControl(cmd -> "{\"ok\":true,\"framesize\":\"VGA\"}");
        RawWs ws = RawWs.open(relay.wsPort(), "/cam/cam", V1, 0)) {
      cam.awaitWelcome();
      assertThat(ws.statusLine).contains("101");
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int id = 0; id < n; id++) {
        burst.writeBytes(RawWs.textFrame(command(id)));
      }
      ws.socket.getOutputStream().write(burst.toByteArray()); // one write: the relay reads them together

      Map<Integer, JsonObject> replies = new HashMap<>();
      int ok = 0;
      int limited = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (replies.size() < n) {
        String text = null;
        try {
          if (System.nanoTime() < deadline) {
            text = textOf(ws, ws.readFrame());
          }
        } catch (SocketTimeoutException e) {
          // reported below
        }
        if (System.nanoTime() >= deadline) {
          TreeSet<Integer> missing = new TreeSet<>();
          for (int id = 0; id < n; id++) {
            if (!replies.containsKey(id)) {
              missing.add(id);
            }
          }
          throw new AssertionError("within 30 s only " + replies.size() + " of " + n + " commands got a reply ("
              + ok + " ok, " + limited + " rate limited); no reply to ids " + missing);
        }
        if (text == null || !text.contains("\"control-reply\"")) {
          continue; // hello, status
        }
        JsonObject reply = JsonParser.parseString(text).getAsJsonObject();
        int id = reply.get("id").getAsInt();
        assertThat(replies.put(id, reply)).as("a second reply to command %d: %s", id, text).isNull();
        if (reply.get("ok").getAsBoolean()) {
          ok++;
          assertThat(reply.getAsJsonObject("reply").get("framesize").getAsString()).isEqualTo("VGA");
        } else {
          limited++;
          assertThat(reply.get("error").getAsString())
              .isEqualTo("rate limited: at most 10 control messages per second");
        }
      }
      // A full bucket of 10 at the start, refilled at 10/s while the burst is read: the rest is refused, not queued.
      assertThat(ok).as("commands the camera answered").isBetween(10, 40);
      assertThat(ok + limited).isEqualTo(n);
    }
  }

  @Test
  void viewerThatSendsCommandsButNeverReadsTheRepliesIsClosedWith1008() throws Exception {
    // A small receive buffer: the relay's socket to this viewer fills after a few hundred replies.
    try (RawWs ws = RawWs.open(relay.wsPort(), "/cam/nobody", V1, 4096)) {
      assertThat(ws.statusLine).contains("101");
      int sent = 0;
      OutputStream out = ws.socket.getOutputStream();
      try {
        // Each command is answered at once ("offline", then "rate limited"): far more replies than the bound.
        for (int batch = 0; batch < 20; batch++) {
          ByteArrayOutputStream burst = new ByteArrayOutputStream();
          for (int i = 0; i < 1000; i++) {
            burst.writeBytes(RawWs.textFrame(command(sent + i)));
          }
          out.write(burst.toByteArray());
          sent += 1000;
        }
      } catch (IOException e) {
        // The relay may already have closed the connection; what it sent before is still there to read.
      }
      assertThat(sent).isGreaterThanOrEqualTo(5000);

      int replies = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        RawWs.Frame f;
        try {
          f = ws.readFrame();
        } catch (SocketTimeoutException e) {
          f = null;
        }
        if (f == null || System.nanoTime() > deadline) {
          throw new AssertionError("no close frame within 20 s; read " + replies + " replies to " + sent
              + " commands: the relay keeps the viewer and queues or drops its replies");
        }
        if (f.opcode() == 8) {
          assertThat(closeOf(f)).isEqualTo("1008 more than 1024 control replies unread");
          break;
        }
        if (f.opcode() == 1 && new String(f.payload(), StandardCharsets.UTF_8).contains("\"control-reply\"")) {
          replies++;
        } else if (f.opcode() == 9) {
          ws.sendFrame(10, f.payload());
        }
      }
      assertThat(replies).as("replies before the close").isLessThan(sent);
    }
  }
}
