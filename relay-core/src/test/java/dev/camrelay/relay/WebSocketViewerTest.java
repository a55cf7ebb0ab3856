package dev.camrelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.RawWs;
import dev.camrelay.relay.testing.TestJpegs;
import dev.camrelay.relay.testing.ViewerClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketViewerTest {
  private CameraRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(-1).wsPort(0).httpPort(-1).build();
    relay.start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private String url(String path) {
    return "ws://127.0.0.1:" + relay.wsPort() + path;
  }

  @Test
  void publishedFramesReachViewerByteIdentical() throws Exception {
    ViewerClient viewer = ViewerClient.connect(url("/cam/garage"));
    assertThat(viewer.isOpen()).isTrue();
    byte[] first = TestJpegs.frame(1);
    byte[] second = TestJpegs.frame(2, 640, 480);
    relay.publish("garage", first);
    relay.publish("garage", second);
    assertThat(viewer.nextFrame()).isEqualTo(first);
    assertThat(viewer.nextFrame()).isEqualTo(second);
    viewer.closeBlocking();
  }

  @Test
  void newViewerGetsLatestFrameAtOnce() throws Exception {
    byte[] jpeg = TestJpegs.frame(7);
    relay.publish("default", jpeg);
    ViewerClient viewer = ViewerClient.connect(url("/"));
    assertThat(viewer.nextFrame()).isEqualTo(jpeg);
    viewer.closeBlocking();
  }

  @Test
  void plainViewerNeverReceivesText() throws Exception {
    ViewerClient plain = ViewerClient.connect(url("/cam/a"));
    ViewerClient v1 = ViewerClient.connect(url("/cam/a"), "camrelay.v1");
    assertThat(v1.selectedProtocol()).isEqualTo("camrelay.v1");
    assertThat(v1.nextText()).isEqualTo("{\"type\":\"hello\",\"camera\":\"a\",\"control\":true}");
    relay.publish("a", TestJpegs.frame(1));
    assertThat(plain.nextFrame()).isNotEmpty();
    assertThat(v1.nextFrame()).isNotEmpty();
    assertThat(v1.nextTextContaining("\"type\":\"status\"")).contains("\"camera\":\"a\"");
    assertThat(plain.texts).isEmpty();
    plain.closeBlocking();
    v1.closeBlocking();
  }

  @Test
  void unknownPathGets404() throws Exception {
    try (RawWs raw = RawWs.open(relay.wsPort(), "/nope")) {
      assertThat(raw.statusLine).isEqualTo("HTTP/1.1 404 Not Found");
      assertThat(raw.body()).contains("/cam/{id}");
    }
  }

  @Test
  void invalidCameraIdGets400() throws Exception {
    try (RawWs raw = RawWs.open(relay.wsPort(), "/cam/bad%20id")) {
      assertThat(raw.statusLine).isEqualTo("HTTP/1.1 400 Bad Request");
    }
  }

  @Test
  void serverFramesAreSingleUnmaskedBinaryFrames() throws Exception {
    byte[] jpeg = TestJpegs.frame(3);
    relay.publish("default", jpeg);
    try (RawWs raw = RawWs.open(relay.wsPort(), "/", Map.of(), 0)) {
      assertThat(raw.statusLine).isEqualTo("HTTP/1.1 101 Web Socket Protocol Handshake");
      RawWs.Frame f = raw.readFrame();
      assertThat(f.opcode()).isEqualTo(2);
      assertThat(f.payload()).isEqualTo(jpeg);
    }
  }
}
