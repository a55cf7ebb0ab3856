package dev.camrelay.frame.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A camera and a minimal relay speaking the protocol over a real loopback TCP connection, with the codec on both
 * ends: TCP cuts the stream wherever it likes, and every frame still arrives whole and unchanged.
 */
class LoopbackSessionTest {
  private static final int TIMEOUT_MS = 20_000;

  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  /** Reads messages from a socket with a MessageDecoder, as a relay or camera read loop would. */
  private static final class Reader {
    private final InputStream in;
    private final Deque<Message> ready = new ArrayDeque<>();
    private final MessageDecoder decoder = new MessageDecoder(ready::add);
    private final byte[] buf = new byte[16 * 1024];

    Reader(Socket socket) throws IOException {
      this.in = socket.getInputStream();
    }

    /** The next message, or null at a clean end of stream. */
    Message next() throws IOException {
      while (ready.isEmpty()) {
        int n = in.read(buf);
        if (n < 0) {
          decoder.endOfStream();
          return null;
        }
        decoder.feed(buf, 0, n);
      }
      return ready.poll();
    }
  }

  /** The relay side: HELLO → WELCOME, collects FRAMEs, answers PING with PONG, stops at BYE; ERROR on bad input. */
  private List<Message> relay(ServerSocket server) throws Exception {
    try (Socket socket = server.accept()) {
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      Reader reader = new Reader(socket);
      List<Message> frames = new ArrayList<>();
      try {
        Message first = reader.next();
        Hello hello = Hello.decode(first);
        if (!"s3cret".equals(hello.token())) {
          MessageEncoder.write(Message.error(ErrorCode.AUTH_FAILED, "authentication failed for camera '"
              + hello.cameraId() + "'"), out);
          closeGracefully(socket);
          return frames;
        }
        MessageEncoder.write(Message.welcome(Welcome.of(1, true, MessageDecoder.DEFAULT_MAX_PAYLOAD)), out);
        for (Message m = reader.next(); m != null; m = reader.next()) {
          switch (m.type()) {
            case FRAME -> frames.add(m);
            case PING -> MessageEncoder.write(Message.pongFor(m), out);
            case BYE -> {
              return frames;
            }
            default -> { }
          }
        }
        return frames;
      } catch (ProtocolException e) {
        MessageEncoder.write(Message.error(e), out);
        closeGracefully(socket);
        return frames;
      }
    }
  }

  /** Send FIN after the ERROR and drain, so unread input cannot turn the close into a reset that loses the ERROR. */
  private static void closeGracefully(Socket socket) throws IOException {
    socket.shutdownOutput();
    socket.getInputStream().transferTo(OutputStream.nullOutputStream());
  }

  @Test
  void aCameraSessionOverLoopbackDeliversEveryFrameIntact() throws Exception {
    List<byte[]> jpegs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      jpegs.add(TestJpegs.jpeg(16 + i * 7, 12 + i * 5, i));
    }
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<List<Message>> relay = executor.submit(() -> relay(server));
      try (Socket camera = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        camera.setSoTimeout(TIMEOUT_MS);
        camera.setTcpNoDelay(true);
        OutputStream out = new BufferedOutputStream(camera.getOutputStream(), 1500);
        Reader reader = new Reader(camera);
        MessageEncoder.write(Message.hello(new Hello(1, Hello.CONTROL, "porch", "s3cret", "test/1")), out);
        out.flush();
        Welcome welcome = Welcome.decode(reader.next());
        assertThat(welcome.stream()).isTrue();
        assertThat(welcome.maxPayload()).isEqualTo(MessageDecoder.DEFAULT_MAX_PAYLOAD);

        for (int i = 0; i < jpegs.size(); i++) {
          MessageEncoder.write(Message.frame(i, 1_000_000L + i * 33_333L, JpegFrame.parse(jpegs.get(i))), out);
        }
        MessageEncoder.write(Message.ping("rtt".getBytes(StandardCharsets.US_ASCII)), out);
        out.flush();
        Message pong = reader.next();
        assertThat(pong.type()).isEqualTo(MessageType.PONG);
        assertThat(new String(pong.payloadBytes(), StandardCharsets.US_ASCII)).isEqualTo("rtt");
        MessageEncoder.write(Message.bye(ErrorCode.NORMAL, "done"), out);
        out.flush();
      }
      List<Message> frames = relay.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      assertThat(frames).hasSize(jpegs.size());
      for (int i = 0; i < frames.size(); i++) {
        assertThat(frames.get(i).sequence()).isEqualTo(i);
        assertThat(frames.get(i).timestampMicros()).isEqualTo(1_000_000L + i * 33_333L);
        assertThat(JpegFrame.parse(frames.get(i).payloadBytes()).toByteArray()).isEqualTo(jpegs.get(i));
      }
    }
  }

  @Test
  void aWrongTokenIsAnsweredWithAuthFailedThatDoesNotContainTheToken() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<List<Message>> relay = executor.submit(() -> relay(server));
      try (Socket camera = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        camera.setSoTimeout(TIMEOUT_MS);
        MessageEncoder.write(Message.hello(Hello.of("porch", "wrong-token")), camera.getOutputStream());
        Reader reader = new Reader(camera);
        Message answer = reader.next();
        assertThat(answer.type()).isEqualTo(MessageType.ERROR);
        Reason reason = Reason.decode(answer);
        assertThat(reason.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(reason.reason()).isEqualTo("authentication failed for camera 'porch'").doesNotContain("wrong");
        assertThat(reader.next()).as("then the relay closes").isNull();
      }
      assertThat(relay.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void anHttpRequestOnTheFramedPortGetsAProtocolErrorNamingIt() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<List<Message>> relay = executor.submit(() -> relay(server));
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        client.setSoTimeout(TIMEOUT_MS);
        client.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<byte[]> all = CompletableFuture.supplyAsync(() -> {
          try {
            return client.getInputStream().readAllBytes();
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        }, executor);
        byte[] answer = all.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<Message> messages = GoldenVectorsTest.decodeAll(answer, MessageDecoder.DEFAULT_MAX_PAYLOAD);
        assertThat(messages).hasSize(1);
        assertThat(Reason.decode(messages.get(0)))
            .isEqualTo(new Reason(ErrorCode.PROTOCOL_ERROR, "bad magic 47 45 54 20 (looks like HTTP?)"));
      }
      assertThat(relay.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }
}
