package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraStats;
import java.awt.Color;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end over real loopback sockets: the firmware's own client code (protocol, state machine, command
 * dispatcher), built for the host by {@code host/Makefile}, streams a folder of real JPEGs to a real
 * {@link CameraRelay}; a WebSocket viewer receives them byte for byte; control commands go through
 * {@link CameraRelay#control} to the firmware code and back.
 */
class HostCameraStreamsToRelayTest {
  private static final Duration GENEROUS = Duration.ofSeconds(30);  // only to avoid hanging, never a measurement
  private static final String CAMERA = "hostcam";
  private static final String TOKEN = "tok-3sp32-host";
  private static Path frameDir;
  private static List<byte[]> jpegs;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeAll
  static void buildHostCameraAndWriteJpegs() throws Exception {
    HostCamera.build();
    frameDir = Path.of("target", "host-cam-frames").toAbsolutePath();
    jpegs = HostCamera.writeJpegs(frameDir, Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE, Color.MAGENTA);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private CameraRelay relay() throws Exception {
    CameraRelay relay = CameraRelay.builder()
        .bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(0)
        .cameraToken(CAMERA, TOKEN)
        .onDemandLinger(Duration.ofMillis(200))
        .build();
    relay.start();
    cleanup.add(relay);
    return relay;
  }

  private HostCamera camera(CameraRelay relay, String token, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(relay.tcpPort()),
        "--id", CAMERA, "--token", token, "--dir", frameDir.toString(), "--fps", "25"));
    args.addAll(List.of(extra));
    HostCamera camera = HostCamera.start(args.toArray(String[]::new));
    cleanup.add(camera);
    return camera;
  }

  private Viewer viewer(CameraRelay relay) throws Exception {
    Viewer viewer = new Viewer(URI.create("ws://127.0.0.1:" + relay.wsPort() + "/cam/" + CAMERA));
    assertThat(viewer.connectBlocking(GENEROUS.toSeconds(), TimeUnit.SECONDS)).as("viewer connected").isTrue();
    cleanup.add(viewer::closeBlocking);
    return viewer;
  }

  private static int indexOf(byte[] frame) {
    for (int i = 0; i < jpegs.size(); i++) {
      if (Arrays.equals(jpegs.get(i), frame)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void hostCameraStreamsEveryJpegOfItsFolderByteIdenticalToAViewer() throws Exception {
    CameraRelay relay = relay();
    HostCamera camera = camera(relay, TOKEN);
    camera.awaitLine(l -> l.contains("relay: welcome (protocol v1, streaming"), GENEROUS);
    Viewer viewer = viewer(relay);

    Set<Integer> seen = new HashSet<>();
    long deadline = System.nanoTime() + GENEROUS.toNanos();
    while (seen.size() < jpegs.size() && System.nanoTime() < deadline) {
      byte[] frame = viewer.frames.poll(1, TimeUnit.SECONDS);
      if (frame == null) {
        continue;
      }
      int index = indexOf(frame);
      assertThat(index).as("a received frame of %d bytes is one of the source files, byte for byte", frame.length)
          .isNotNegative();
      seen.add(index);
    }
    assertThat(seen).as("every file arrived").hasSize(jpegs.size());

    CameraStats stats = stats(relay);
    assertThat(stats.connected()).isTrue();
    assertThat(stats.ingest()).isEqualTo("framed");
    assertThat(stats.control()).isTrue();
    assertThat(stats.width()).isEqualTo(320);
    assertThat(stats.framesDropped()).isZero();
    assertThat(camera.output()).doesNotContain(TOKEN);
  }

  @Test
  void controlCommandsThroughTheRelayAreAnsweredByTheFirmwareCode() throws Exception {
    CameraRelay relay = relay();
    HostCamera camera = camera(relay, TOKEN);
    camera.awaitLine(l -> l.contains("relay: welcome"), GENEROUS);

    String reply = relay.control(CAMERA, "{\"cmd\":\"quality\",\"value\":20}").get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    assertThat(reply).isEqualTo("{\"ok\":true,\"quality\":20}");
    camera.awaitLine(l -> l.equals("host-cam: sensor quality=20"), GENEROUS);

    reply = relay.control(CAMERA, "{\"cmd\":\"framesize\",\"value\":\"SVGA\"}").get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    assertThat(reply).isEqualTo("{\"ok\":true,\"framesize\":\"SVGA\",\"width\":800,\"height\":600}");

    reply = relay.control(CAMERA, "{\"cmd\":\"quality\",\"value\":99}").get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    assertThat(reply).isEqualTo("{\"ok\":false,\"error\":\"quality needs \\\"value\\\": an integer 4..63 (lower = better)\"}");

    reply = relay.control(CAMERA, "{\"cmd\":\"status\"}").get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    assertThat(reply).startsWith("{\"ok\":true,\"id\":\"hostcam\",\"firmware\":\"camrelay-esp32/")
        .contains("\"state\":\"STREAMING\"", "\"quality\":20", "\"framesize\":\"SVGA\"", "\"board\":\"host\"",
            "\"files\":5")
        .doesNotContain(TOKEN);
  }

  @Test
  void aWrongTokenIsRefusedAndTheCameraGivesUpWithoutEverConnecting() throws Exception {
    CameraRelay relay = relay();
    HostCamera camera = camera(relay, "not-the-token", "--max-connect-attempts", "1");
    assertThat(camera.awaitExit(GENEROUS)).isEqualTo(2);
    assertThat(camera.output())
        .contains("relay sent ERROR 3 AUTH_FAILED")
        .contains("check CAMRELAY_TOKEN")
        .contains("host-cam: giving up after 1 connection attempt(s)")
        .doesNotContain("relay: welcome")
        .doesNotContain("not-the-token");
    assertThat(relay.cameras()).noneMatch(c -> c.id().equals(CAMERA) && c.connected());
  }

  @Test
  void onDemandCameraSendsFramesOnlyWhileAViewerWatches() throws Exception {
    CameraRelay relay = relay();  // no viewer and no Java frame listener: nobody wants frames yet
    HostCamera camera = camera(relay, TOKEN, "--on-demand");
    camera.awaitLine(l -> l.contains("relay: welcome (protocol v1, on demand: waiting for a viewer"), GENEROUS);
    CameraStats idle = stats(relay);
    assertThat(idle.onDemand()).isTrue();
    assertThat(idle.streaming()).isFalse();
    assertThat(idle.framesIn()).isZero();

    Viewer viewer = viewer(relay);
    camera.awaitLine(l -> l.contains("viewer wants frames: streaming"), GENEROUS);
    byte[] frame = viewer.frames.poll(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    assertThat(frame).isNotNull();
    assertThat(indexOf(frame)).isNotNegative();

    viewer.closeBlocking();
    camera.awaitLine(l -> l.contains("no viewer: streaming paused"), GENEROUS);
    assertThat(stats(relay).framesIn()).isPositive();
  }

  private static CameraStats stats(CameraRelay relay) {
    return relay.cameras().stream().filter(c -> c.id().equals(CAMERA)).findFirst().orElseThrow();
  }

  /** A plain WebSocket viewer: every binary message is one JPEG. */
  private static final class Viewer extends WebSocketClient {
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

    Viewer(URI uri) {
      super(uri);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {}

    @Override
    public void onMessage(ByteBuffer bytes) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.get(copy);
      frames.add(copy);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {}

    @Override
    public void onError(Exception ex) {}
  }
}
