package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.cluster.NatsServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay nodes as child processes of the jar ({@code java -jar camrelay.jar --cluster ...}) joined through real
 * nats-server processes, one of them SIGKILLed: a node takes only its own connections; a NATS server of a cluster
 * takes none (its nodes move to another). Cameras are the framed-protocol simulator,
 * viewers WebSocket clients; every wait polls with a deadline ({@link Await}), the failover time is printed, not
 * asserted.
 */
@Timeout(240)
class ClusterNodeKillIT {
  private static final Path JAR = Path.of(System.getProperty("camrelay.jar", "target/camrelay.jar"));
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private NatsServers nats;
  private final List<Node> nodes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    for (Node n : nodes) {
      n.process.destroyForcibly();
      n.process.waitFor(30, TimeUnit.SECONDS);
    }
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void aCameraOnAKilledNodeGoesOfflineElsewhereAndIsBackForTheSameViewerWhenItReconnectsToAnotherNode()
      throws Exception {
    nats = NatsServers.single();
    Node a = node("a");
    Node b = node("b");
    Node c = node("c");
    camera(a, "porch");
    TestViewer viewer = viewer(b, "porch");
    viewer.nextFrame(); // a remote viewer: porch is on a, the viewer on b
    assertThat(cameraState(b, "porch")).isEqualTo("online");

    long killed = System.nanoTime();
    a.kill();
    Await.until("porch offline on node b after node a was killed", () -> cameraState(b, "porch"),
        s -> !s.equals("online"));
    System.out.printf("porch offline on b %.0f ms after node a was killed%n", (System.nanoTime() - killed) / 1e6);
    assertThat(viewer.isOpen()).as("the viewer on b stays connected while its camera is away").isTrue();

    viewer.clearFrames();
    long reconnect = System.nanoTime();
    camera(c, "porch"); // the same camera, now reaching node c (DNS or the load balancer moved it)
    viewer.nextFrame();
    System.out.printf("porch back for the viewer on b %.0f ms after it connected to c%n",
        (System.nanoTime() - reconnect) / 1e6);
    Await.until("porch online on node b again", () -> cameraState(b, "porch"), "online"::equals);
  }

  @Test
  void aDyingNodeNeverDisturbsViewersOfCamerasOnOtherNodes() throws Exception {
    nats = NatsServers.single();
    Node a = node("a");
    Node b = node("b");
    Node c = node("c");
    camera(a, "shed");
    camera(b, "gate");
    Await.until("gate listed on node c", () -> cameraState(c, "gate"), "online"::equals);
    Await.until("shed listed on node c", () -> cameraState(c, "shed"), "online"::equals);
    TestViewer remote = viewer(c, "gate", "camrelay.v1"); // told of every change of the camera's state
    TestViewer local = viewer(b, "gate");
    remote.nextFrame();
    local.nextFrame();

    int statusBefore = remote.texts().size();
    a.kill();
    Await.until("shed offline on node c after node a was killed", () -> cameraState(c, "shed"),
        s -> !s.equals("online"));
    remote.clearFrames();
    local.clearFrames();
    for (int i = 0; i < 10; i++) { // frames keep coming after the other node's death was noticed
      remote.nextFrame();
      local.nextFrame();
    }
    assertThat(remote.isOpen()).isTrue();
    assertThat(local.isOpen()).isTrue();
    List<String> texts = remote.texts();
    assertThat(texts.subList(statusBefore, texts.size())).as("status lines the remote viewer of gate got")
        .noneMatch(t -> t.contains("\"connected\":false"));
    assertThat(cameraState(c, "gate")).isEqualTo("online");
    assertThat(cameraState(b, "gate")).isEqualTo("online");
  }

  @Test
  void aKilledNatsServerMovesItsNodesToAnotherServerWithoutLosingTheirCameras() throws Exception {
    nats = NatsServers.cluster(3);
    Node a = node("a", nats.url(0), nats.url(1));
    Node b = node("b", nats.url(2));
    SimulatedCamera porch = camera(a, "porch");
    TestViewer viewer = viewer(b, "porch");
    viewer.nextFrame();
    int serverOfA = Await.until("node a's NATS server", () -> nats.connections(0) > 0 ? 0
        : nats.connections(1) > 0 ? 1 : -1, i -> i >= 0);

    nats.kill(serverOfA);
    int other = 1 - serverOfA;
    // jnats also learns the cluster's other servers from them, so node a may land on node b's server (2) as well as
    // on the other server of its own list: both nodes are connected again when the survivors hold two clients.
    Await.until("node a reconnected to a server left", () -> nats.connections(other) + nats.connections(2) == 2);
    viewer.clearFrames();
    viewer.nextFrame(); // porch's frames reach node b again, through the servers left
    Await.until("porch online on node b", () -> cameraState(b, "porch"), "online"::equals);
    assertThat(porch.connections()).as("the camera's connection to node a was never dropped").isEqualTo(1);
    assertThat(viewer.isOpen()).isTrue();
  }

  private Node node(String name) throws Exception {
    return node(name, nats.url(0));
  }

  /** A relay node: the shaded jar in a child process, joined to the test's NATS servers. */
  private Node node(String name, URI... servers) throws Exception {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    List<String> cmd = List.of(JAVA, "-XX:+UseSerialGC", "-Xms32m", "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-jar", JAR.toString(), "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0", "--http-port", "0",
        "--rtsp-port", "0", "--status-interval", "0",
        "--cluster", java.util.Arrays.stream(servers).map(URI::toString).collect(Collectors.joining(",")),
        "--cluster-name", "kill-test", "--node-name", name);
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    Node n = new Node(name, p, out, err);
    nodes.add(n);
    n.awaitBanner();
    return n;
  }

  private SimulatedCamera camera(Node node, String id) {
    SimulatedCamera cam = SimulatedCamera.builder().relay("127.0.0.1", node.tcpPort).cameraId(id).fps(10)
        .size(320, 240).build().start();
    clients.add(cam::close);
    return cam;
  }

  private TestViewer viewer(Node node, String camera, String... subprotocol) throws InterruptedException {
    TestViewer v = subprotocol.length == 0 ? TestViewer.open(node.wsPort, "/cam/" + camera)
        : TestViewer.open(node.wsPort, "/cam/" + camera, subprotocol[0]);
    clients.add(v::close);
    return v;
  }

  /** "online", "offline" (listed, not connected) or "absent", as the node's /api/cameras says. */
  private static String cameraState(Node node, String id) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.httpPort + "/api/cameras")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("cameras")) {
      JsonObject cam = e.getAsJsonObject();
      if (cam.get("id").getAsString().equals(id)) {
        return cam.get("connected").getAsBoolean() ? "online" : "offline";
      }
    }
    return "absent";
  }

  private static final class Node {
    private static final Pattern HTTP_PORT = Pattern.compile("Viewer\\s+http://[^:/]+:(\\d+)/");
    private static final Pattern WS_PORT = Pattern.compile("WebSocket\\s+ws://[^:/]+:(\\d+)/");
    private static final Pattern TCP_PORT = Pattern.compile("Cameras\\s+tcp://[^:/]+:(\\d+)");

    final String name;
    final Process process;
    final Path out;
    final Path err;
    int httpPort;
    int wsPort;
    int tcpPort;

    Node(String name, Process process, Path out, Path err) {
      this.name = name;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** Waits for the banner (printed once every port is bound and the node joined) and reads the ports from it. */
    void awaitBanner() throws Exception {
      String banner = Await.until("node " + name + "'s banner", () -> {
        if (!process.isAlive()) {
          throw new AssertionError("node " + name + " exited " + process.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out);
      }, s -> s.contains("Press Ctrl-C"));
      assertThat(banner).contains("Cluster    'kill-test' as node '" + name + "' via " + "nats://127.0.0.1:");
      httpPort = port(HTTP_PORT, banner);
      wsPort = port(WS_PORT, banner);
      tcpPort = port(TCP_PORT, banner);
    }

    /** SIGKILL: no goodbye to NATS, the cameras or the viewers. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private int port(Pattern p, String banner) {
      Matcher m = p.matcher(banner);
      assertThat(m.find()).as("node %s's banner names the port (%s):%n%s", name, p, banner).isTrue();
      return Integer.parseInt(m.group(1));
    }
  }
}
