package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed relay's WebSocket clients work unchanged with seed compatibility on: they connect to {@code /} offering one
 * subprotocol ({@code ipcam_<token>} a camera, {@code mon_<token>} a monitor), expect it selected, and the raw
 * clients here send exactly what theirs send — masked binary JPEGs from the camera, text from the monitor.
 */
class SeedCompatibilityTest {
  private static final String CAMERA_TOKEN = "cam-secret";
  private static final String VIEWER_TOKEN = "view-secret";
  private static final String CONTROL_TOKEN = "ctl-secret";
  private CameraRelay relay;

  private void start(boolean seed) throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1).seedCompatibility(seed)
        .cameraToken(CAMERA_TOKEN).viewerToken(VIEWER_TOKEN).controlToken(CONTROL_TOKEN).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  private RawWs seedClient(String subprotocol) throws IOException {
    return RawWs.open(relay.wsPort(), "/", Map.of("Sec-WebSocket-Protocol", subprotocol), 0);
  }

  private RawWs openSeedClient(String subprotocol) throws IOException {
    RawWs ws = seedClient(subprotocol);
    assertThat(ws.statusLine).contains("101");
    // The Node ws client and browsers fail the handshake unless the server selects the offered subprotocol.
    assertThat(ws.responseHead).containsIgnoringCase("Sec-WebSocket-Protocol: " + subprotocol + "\r\n");
    return ws;
  }

  private RawWs cameraOnline() throws IOException {
    RawWs camera = openSeedClient("ipcam_" + CAMERA_TOKEN);
    Await.until("the seed camera is the default camera", () -> relay.camera("default")
        .map(c -> c.connected() && "websocket-seed".equals(c.ingest())).orElse(false));
    return camera;
  }

  private void awaitViewers(int n) {
    Await.until(n + " viewers of the default camera",
        () -> relay.camera("default").map(c -> c.viewers() == n).orElse(false));
  }

  /** The next text message, answering pings as a client does. */
  private static String nextText(RawWs ws) throws IOException {
    while (true) {
      RawWs.Frame f = ws.readFrame();
      switch (f.opcode()) {
        case 1 -> {
          return new String(f.payload(), StandardCharsets.UTF_8);
        }
        case 8 -> throw new EOFException("the relay closed the WebSocket");
        case 9 -> ws.sendFrame(10, f.payload());
        default -> {
          // not text
        }
      }
    }
  }

  @Test
  void seedCameraFramesReachSeedMonitorByteIdentical() throws Exception {
    start(true);
    try (RawWs camera = cameraOnline(); RawWs monitor = openSeedClient("mon_" + VIEWER_TOKEN)) {
      awaitViewers(1);
      for (int i = 0; i < 3; i++) {
        // Larger than a viewer's 8 KiB message limit: the camera is read as a camera, not as a viewer.
        byte[] jpeg = TestJpegs.bigFrame(i, 160, 120);
        assertThat(jpeg.length).isGreaterThan(8 * 1024);
        camera.sendFrame(2, jpeg);
        assertThat(monitor.nextBinary()).isEqualTo(jpeg);
      }
    }
  }

  @Test
  void monitorTextReachesSeedCameraExactlyAsSent() throws Exception {
    start(true);
    try (RawWs camera = cameraOnline(); RawWs monitor = openSeedClient("mon_" + CONTROL_TOKEN)) {
      awaitViewers(1);
      monitor.sendText("led on");
      assertThat(nextText(camera)).isEqualTo("led on");
      monitor.sendText("{ \"flash\": 1 }");
      assertThat(nextText(camera)).isEqualTo("{ \"flash\": 1 }");
      monitor.sendText("{\"cmd\":\"text\",\"text\":\"x\"}");
      assertThat(nextText(camera)).isEqualTo("{\"cmd\":\"text\",\"text\":\"x\"}");
    }
  }

  @Test
  void monitorWithTheViewerTokenWatchesButItsCommandsDoNotReachTheCamera() throws Exception {
    start(true);
    try (RawWs camera = cameraOnline(); RawWs watcher = openSeedClient("mon_" + VIEWER_TOKEN);
        RawWs controller = openSeedClient("mon_" + CONTROL_TOKEN)) {
      awaitViewers(2);
      byte[] jpeg = TestJpegs.frame(7);
      camera.sendFrame(2, jpeg);
      assertThat(watcher.nextBinary()).isEqualTo(jpeg);
      watcher.sendText("reboot");
      // The relay handles one connection's messages in order: once it answers the close, "reboot" was handled.
      watcher.sendFrame(8, new byte[] {0x03, (byte) 0xe8});
      assertThat(watcher.closedByServer()).isTrue();
      controller.sendText("led off");
      assertThat(nextText(camera)).isEqualTo("led off");
    }
  }

  @Test
  void strayMessagesAreIgnoredAndTheSeedClientsCarryOn() throws Exception {
    start(true);
    try (RawWs camera = cameraOnline(); RawWs monitor = openSeedClient("mon_" + CONTROL_TOKEN)) {
      awaitViewers(1);
      camera.sendText("hello monitors"); // the seed camera's own text: camrelay has no place for it
      camera.sendFrame(2, new byte[] {1, 2, 3}); // not a JPEG: counted as dropped
      monitor.sendFrame(2, new byte[] {4, 5, 6}); // binary from a monitor
      monitor.sendText("still here");
      assertThat(nextText(camera)).isEqualTo("still here");
      byte[] jpeg = TestJpegs.frame(9);
      camera.sendFrame(2, jpeg);
      assertThat(monitor.nextBinary()).isEqualTo(jpeg);
      assertThat(relay.camera("default").orElseThrow().framesDropped()).isEqualTo(1);
    }
  }

  @Test
  void wrongOrMissingTokensAreRefusedWith401() throws Exception {
    start(true);
    try (RawWs camera = seedClient("ipcam_wrong"); RawWs bare = seedClient("ipcam_");
        RawWs monitor = seedClient("mon_wrong"); RawWs cameraTokenMonitor = seedClient("mon_" + CAMERA_TOKEN)) {
      assertThat(camera.statusLine).contains("401");
      assertThat(bare.statusLine).contains("401");
      assertThat(monitor.statusLine).contains("401");
      assertThat(cameraTokenMonitor.statusLine).contains("401");
    }
    assertThat(relay.camera("default").map(CameraStats::connected).orElse(false)).isFalse();
  }

  @Test
  void camrelayViewersWatchAndControlASeedCamera() throws Exception {
    start(true);
    try (RawWs camera = cameraOnline()) {
      ViewerClient viewer = ViewerClient.connect("ws://127.0.0.1:" + relay.wsPort() + "/cam/default",
          "camrelay.v1", "bearer." + CONTROL_TOKEN);
      assertThat(viewer.isOpen()).isTrue();
      viewer.send("{\"type\":\"control\",\"id\":1,\"command\":{\"cmd\":\"text\",\"text\":\"hello camera\"}}");
      assertThat(nextText(camera)).isEqualTo("hello camera");
      JsonObject reply = JsonParser.parseString(viewer.nextTextContaining("control-reply")).getAsJsonObject();
      assertThat(reply.get("ok").getAsBoolean()).isTrue();
      viewer.send("{\"type\":\"control\",\"id\":2,\"command\":{\"cmd\":\"quality\",\"value\":12}}");
      assertThat(nextText(camera)).isEqualTo("{\"cmd\":\"quality\",\"value\":12}");
      byte[] jpeg = TestJpegs.frame(3);
      camera.sendFrame(2, jpeg);
      assertThat(viewer.nextFrame()).isEqualTo(jpeg);
      viewer.closeBlocking();
    }
  }

  @Test
  void withoutTheOptionSeedOffersAreOrdinaryViewersThatNeedAToken() throws Exception {
    start(false);
    try (RawWs camera = seedClient("ipcam_" + CAMERA_TOKEN)) {
      assertThat(camera.statusLine).contains("401");
    }
  }
}
