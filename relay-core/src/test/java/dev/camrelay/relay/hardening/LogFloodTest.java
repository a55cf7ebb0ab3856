package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.internal.port.TestKeystores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods that used to be a log line each (issue #14): non-TLS clients on the TLS ports, labelled by what they sent;
 * and HTTP requests on the camera port, logged without their token.
 */
@Timeout(180)
class LogFloodTest {
  private static final int JUNK_CONNECTIONS = 200;
  private static final String SECRET = "SECRET-d41d8cd9";

  @TempDir
  Path dir;

  @Test
  void nonTlsClientsOnTheTlsPortsAreLabelledAndRateLimited() throws Exception {
    Path p12 = TestKeystores.generate(dir, "changeit");
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(0)
        .tls(p12, "changeit".toCharArray()).build()) {
      relay.start();
      Random random = new Random(14);
      try (LogCapture log = LogCapture.all()) {
        for (int i = 0; i < JUNK_CONNECTIONS; i++) {
          for (int port : new int[] {relay.httpPort(), relay.wsPort()}) {
            byte[] junk;
            if (i % 2 == 0) {
              junk = ("GET /cam/x/snapshot.jpg?token=" + SECRET + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + SECRET + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            } else {
              junk = new byte[32];
              random.nextBytes(junk);
              junk[0] = 0x6b;
              junk[1] = 0x3f;
            }
            sendAndReadUntilClosed(port, junk);
          }
        }
        List<String> lines = log.lines();
        assertThat(lines).as("log lines for %d non-TLS connections", 2 * JUNK_CONNECTIONS)
            .hasSizeLessThanOrEqualTo(6);
        assertThat(lines).anyMatch(l -> l.contains("plain HTTP request (GET /cam/x/snapshot.jpg"));
        assertThat(lines).anyMatch(l -> l.contains("not TLS (first bytes 6b 3f"));
        assertThat(lines).noneMatch(l -> l.contains("plain HTTP") && l.contains("6b 3f"));
        assertThat(lines).noneMatch(l -> l.contains(SECRET));
        assertThat(log.stackTraceLines()).isZero();
      }
    }
  }

  @Test
  void failingTlsHandshakesOnTheHttpsPortAreLoggedOncePerAddressAndPeriod() throws Exception {
    Path p12 = TestKeystores.generate(dir, "changeit");
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0)
        .tls(p12, "changeit".toCharArray()).build()) {
      relay.start();
      // A TLS record header (handshake, TLS 1.0) around bytes that are no ClientHello: the handshake fails.
      byte[] badHello = {0x16, 0x03, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x0c, 0x03, 0x03, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
      try (LogCapture log = LogCapture.all()) {
        for (int i = 0; i < 100; i++) {
          sendAndReadUntilClosed(relay.httpPort(), badHello);
        }
        List<String> lines = log.lines().stream().filter(l -> l.contains("TLS failed")).toList();
        assertThat(lines).as("lines about 100 failed handshakes from one address").hasSizeBetween(1, 2);
        assertThat(log.stackTraceLines()).isZero();
      }
    }
  }

  @Test
  void anHttpRequestOnTheCameraPortIsLoggedWithoutItsToken() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1).build();
        LogCapture log = LogCapture.all()) {
      relay.start();
      byte[] request = ("GET /cam/x/stream.mjpeg?token=" + SECRET + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      String answer = new String(sendAndReadUntilClosed(relay.tcpPort(), request), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(log.lines()).anyMatch(l -> l.contains("not a camera stream")
          && l.contains("plain HTTP request (GET /cam/x/stream.mjpeg"));
      assertThat(log.lines()).noneMatch(l -> l.contains(SECRET));
    }
  }

  /** Connects, sends {@code bytes} and reads until the relay closes (or resets) the connection. */
  private static byte[] sendAndReadUntilClosed(int port, byte[] bytes) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(20_000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (java.net.SocketException e) {
      // a reset also ends the connection
    }
    return got.toByteArray();
  }
}
