package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.Welcome;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A relay that accepts the camera, says WELCOME with STREAM and then never reads again: the firmware's client must
 * give up on the stalled frame within its 5 s send deadline, close, and come back with a fresh HELLO after its
 * backoff — over real loopback sockets, with real (large, incompressible) JPEGs so the socket buffers fill.
 */
class StalledRelayTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);

  @Test
  void aRelayThatStopsReadingIsLeftAfterTheSendDeadlineAndReconnected() throws Exception {
    HostCamera.build();
    Path dir = Path.of("target", "host-cam-big").toAbsolutePath();
    Files.createDirectories(dir);
    Random noise = new Random(42);
    for (int i = 0; i < 2; i++) {
      BufferedImage image = new BufferedImage(1280, 960, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, noise.nextInt());
        }
      }
      assertThat(ImageIO.write(image, "jpg", dir.resolve("noise-" + i + ".jpg").toFile())).isTrue();
    }

    try (ServerSocket server = new ServerSocket()) {
      server.setReceiveBufferSize(4096);  // inherited by accepted sockets: the stall comes quickly
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.setSoTimeout((int) GENEROUS.toMillis());
      try (HostCamera camera = HostCamera.start("--host", "127.0.0.1", "--port", String.valueOf(server.getLocalPort()),
          "--id", "stallcam", "--dir", dir.toString())) {
        List<Socket> accepted = new ArrayList<>();
        try {
          Socket first = server.accept();
          accepted.add(first);
          assertThat(readHello(first.getInputStream()).cameraId()).isEqualTo("stallcam");
          first.getOutputStream().write(MessageEncoder.encode(Message.welcome(Welcome.of(1, true, 4 * 1024 * 1024))));
          // ... and never read from `first` again.

          camera.awaitLine(l -> l.contains("relay: disconnected: send stalled"), GENEROUS);
          camera.awaitLine(l -> l.contains("relay: reconnecting in"), GENEROUS);
          Socket second = server.accept();
          accepted.add(second);
          assertThat(readHello(second.getInputStream()).cameraId()).isEqualTo("stallcam");
          assertThat(camera.output()).contains("relay: welcome (protocol v1, streaming");
        } finally {
          for (Socket s : accepted) {
            s.close();
          }
        }
      }
    }
  }

  /** Reads exactly one message (the HELLO) with the protocol library's decoder. */
  private static Hello readHello(InputStream in) throws Exception {
    List<Message> messages = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(messages::add);
    while (messages.isEmpty()) {
      int b = in.read();
      assertThat(b).as("connection open").isNotNegative();
      decoder.feed(new byte[] {(byte) b}, 0, 1);
    }
    assertThat(messages.get(0).type()).isEqualTo(MessageType.HELLO);
    return Hello.decode(messages.get(0));
  }
}
