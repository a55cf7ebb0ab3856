package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.internal.port.TestKeystores;
import dev.camrelay.relay.testing.TestJpegs;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a PKCS#12 key, the WebSocket port speaks TLS (wss://) and frames arrive byte-identical. */
class TlsTest {
  @TempDir
  Path dir;

  @Test
  void wssViewerReceivesFramesByteIdentical() throws Exception {
    Path p12 = TestKeystores.generate(dir, "changeit");
    SSLContext client = TestKeystores.clientTrusting(p12, "changeit");
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1)
        .tls(p12, "changeit".toCharArray()).build()) {
      relay.start();
      BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
      WebSocketClient viewer = new WebSocketClient(URI.create("wss://127.0.0.1:" + relay.wsPort() + "/cam/secure")) {
        @Override
        public void onOpen(ServerHandshake h) {}

        @Override
        public void onMessage(String m) {}

        @Override
        public void onMessage(ByteBuffer b) {
          byte[] out = new byte[b.remaining()];
          b.get(out);
          frames.add(out);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {}

        @Override
        public void onError(Exception ex) {}
      };
      viewer.setSocketFactory(client.getSocketFactory());
      assertThat(viewer.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 5; i++) {
        byte[] jpeg = i % 2 == 0 ? TestJpegs.frame(i) : TestJpegs.bigFrame(i, 320, 240);
        relay.publish("secure", jpeg);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo(jpeg);
      }
      viewer.closeBlocking();
    }
  }
}
