package dev.camrelay.relay.internal.port.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that sends nothing (no request, no RTCP) for the session timeout is disconnected; keep-alives hold it, and
 * so do a UDP client's RTCP receiver reports. The server runs on one event loop, so its idle timers fire in order.
 */
class RtspSessionTimeoutTest {
  private CameraRelay hub;
  private NioEventLoopGroup loops;
  private RtspServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    hub = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(-1).build();
    hub.start();
    hub.publish("yard", TestJpegs.frame(1));
    RelayConfig config = RelayConfig.builder().bind("127.0.0.1").rtspPort(0).build();
    loops = new NioEventLoopGroup(1);
    server = new RtspServer(config, hub, new Authenticator(config), new ConnectionLimiter(10, 10),
        Duration.ofMillis(1500));
    port = server.start(loops, loops);
  }

  @AfterEach
  void stop() {
    server.close();
    loops.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    hub.close();
  }

  @Test
  void aSilentSessionIsClosedAfterTheTimeoutAndKeepAlivesHoldIt() throws Exception {
    String base = "rtsp://127.0.0.1:" + port + "/yard/";
    try (RtspTestClient silent = new RtspTestClient(port); RtspTestClient alive = new RtspTestClient(port)) {
      RtspTestClient.Response setup = silent.request("SETUP", base + "trackID=0",
          "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
      assertThat(setup.header("Session")).endsWith(";timeout=1");
      String aliveSession = alive.request("SETUP", base + "trackID=0",
          "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").header("Session").substring(0, 16);
      // The live client sends a keep-alive every 500 ms until the silent one is gone.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.connectionCount() == 2 && System.nanoTime() < deadline) {
        assertThat(alive.request("GET_PARAMETER", base, "Session: " + aliveSession).status()).isEqualTo(200);
        Thread.sleep(500);
      }
      assertThat(silent.closedByServer()).as("the silent client was disconnected").isTrue();
      Await.until("one connection left", () -> server.connectionCount() == 1);
      assertThat(alive.request("GET_PARAMETER", base, "Session: " + aliveSession).status()).isEqualTo(200);
    }
  }

  @Test
  void aUdpClientsReceiverReportsKeepItsSessionAliveAndOneThatFallsSilentIsDropped() throws Exception {
    try (RtspTestClient reporter = new RtspTestClient(port); RtspTestClient silent = new RtspTestClient(port);
        DatagramSocket reporterRtp = loopbackSocket(); DatagramSocket reporterRtcp = loopbackSocket();
        DatagramSocket silentRtp = loopbackSocket(); DatagramSocket silentRtcp = loopbackSocket()) {
      // The reporter plays first: without its reports its session would time out before the silent one's.
      String reporterSession = playOverUdp(reporter, reporterRtp, reporterRtcp);
      playOverUdp(silent, silentRtp, silentRtcp);
      byte[] receiverReport = ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1)
          .putInt(0x1234_5678).array(); // RFC 3550 RR without report blocks
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.connectionCount() == 2 && System.nanoTime() < deadline) {
        reporterRtcp.send(new DatagramPacket(receiverReport, receiverReport.length,
            InetAddress.getLoopbackAddress(), serverRtcpPort));
        Thread.sleep(250);
      }
      assertThat(silent.closedByServer()).as("the silent UDP client was disconnected").isTrue();
      assertThat(reporter.request("GET_PARAMETER", "rtsp://127.0.0.1:" + port + "/yard/",
          "Session: " + reporterSession).status()).as("the reporting client's session is alive").isEqualTo(200);
    }
  }

  private int serverRtcpPort;

  /** SETUP over UDP to {@code rtp} and {@code rtcp}, then PLAY; returns the session id. */
  private String playOverUdp(RtspTestClient client, DatagramSocket rtp, DatagramSocket rtcp) throws Exception {
    String base = "rtsp://127.0.0.1:" + port + "/yard/";
    RtspTestClient.Response setup = client.request("SETUP", base + "trackID=0",
        "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort());
    assertThat(setup.status()).isEqualTo(200);
    Matcher ports = Pattern.compile("server_port=(\\d+)-(\\d+)").matcher(setup.header("Transport"));
    assertThat(ports.find()).isTrue();
    serverRtcpPort = Integer.parseInt(ports.group(2));
    String session = setup.header("Session").substring(0, 16);
    assertThat(client.request("PLAY", base, "Session: " + session).status()).isEqualTo(200);
    return session;
  }

  private static DatagramSocket loopbackSocket() throws Exception {
    return new DatagramSocket(0, InetAddress.getLoopbackAddress());
  }
}
