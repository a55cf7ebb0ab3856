package dev.camrelay.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.Await;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Welcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator's side of the framed protocol, seen from a relay written with the frame-protocol codec. */
@Timeout(60)
class SimulatedCameraProtocolTest {
  /** Reads the camera's messages on a thread into a queue. */
  private static BlockingQueue<Message> reader(Socket s) {
    BlockingQueue<Message> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      MessageDecoder d = new MessageDecoder(q::add);
      byte[] buf = new byte[8192];
      try (InputStream in = s.getInputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          d.feed(buf, 0, n);
        }
      } catch (Exception e) {
        // connection closed by the test
      }
    });
    t.setDaemon(true);
    t.start();
    return q;
  }

  /** The next message of the given type; fails when none comes within the patience of {@link Await}. */
  private static Message next(BlockingQueue<Message> q, MessageType type) throws Exception {
    long deadline = System.nanoTime() + Await.PATIENCE.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Message m = left > 0 ? q.poll(left, TimeUnit.NANOSECONDS) : null;
      assertThat(m).as("waiting for " + type).isNotNull();
      if (m.type() == type) {
        return m;
      }
    }
  }

  /** The next message of any type; fails when none comes within the patience of {@link Await}. */
  private static Message next(BlockingQueue<Message> q) throws Exception {
    Message m = q.poll(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(m).as("waiting for a message").isNotNull();
    return m;
  }

  @Test
  void helloPongControlReplyAndFramesFollowTheSpec() throws Exception {
    try (ServerSocket relay = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
         SimulatedCamera cam = SimulatedCamera.builder().relay("127.0.0.1", relay.getLocalPort()).cameraId("gate")
             .token("t0k").onDemand(true).firmware("sim-test").fps(30).size(96, 96).build().start();
         Socket s = relay.accept()) {
      BlockingQueue<Message> in = reader(s);
      OutputStream out = s.getOutputStream();

      Hello hello = Hello.decode(next(in, MessageType.HELLO));
      assertThat(hello.cameraId()).isEqualTo("gate");
      assertThat(hello.token()).isEqualTo("t0k");
      assertThat(hello.firmware()).isEqualTo("sim-test");
      assertThat(hello.onDemand()).isTrue();
      assertThat(hello.acceptsControl()).isTrue();

      MessageEncoder.write(Message.welcome(Welcome.of(1, false, 1 << 20)), out); // on demand: not streaming yet
      MessageEncoder.write(Message.ping(new byte[] {1, 2, 3}), out);
      assertThat(next(in, MessageType.PONG).payloadBytes()).containsExactly(1, 2, 3);
      assertThat(cam.framesSent()).isZero();

      MessageEncoder.write(Message.control(41, "{\"cmd\":\"stream\",\"on\":true}", false), out);
      Control reply = Control.decode(next(in, MessageType.CONTROL));
      assertThat(reply.reply()).isTrue();
      assertThat(reply.requestId()).isEqualTo(41);
      assertThat(reply.json()).isEqualTo("{\"ok\":true,\"streaming\":true}");

      Message first = next(in, MessageType.FRAME);
      Message second = next(in, MessageType.FRAME);
      JpegFrame.parse(first.payloadBytes());
      assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
      assertThat(second.timestampMicros()).isGreaterThan(first.timestampMicros());
    }
  }

  /** True once the camera has rendered (and skipped) at least one frame. */
  private static boolean rendered(SimulatedCamera cam) {
    return cam.framesSkipped() > 0;
  }

  @Test
  void framesLargerThanTheRelaysLimitAreNotSent() throws Exception {
    try (ServerSocket relay = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
         SimulatedCamera cam = SimulatedCamera.builder().relay("127.0.0.1", relay.getLocalPort()).fps(50)
             .size(320, 240).build().start();
         Socket s = relay.accept()) {
      BlockingQueue<Message> in = reader(s);
      next(in, MessageType.HELLO);
      MessageEncoder.write(Message.welcome(Welcome.of(1, true, 100)), s.getOutputStream()); // 100-byte limit
      Await.until("an oversized frame to be skipped", () -> rendered(cam));
      MessageEncoder.write(Message.ping(new byte[] {9}), s.getOutputStream());
      Message m;
      while ((m = next(in)).type() != MessageType.PONG) { // the session is alive …
        assertThat(m.type()).isNotEqualTo(MessageType.FRAME);                 // … and sent no oversized frame
      }
      assertThat(cam.framesSent()).isZero();
    }
  }
}
