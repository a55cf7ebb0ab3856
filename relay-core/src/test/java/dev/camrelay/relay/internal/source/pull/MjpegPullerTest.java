package dev.camrelay.relay.internal.source.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.relay.CameraListener;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.hub.Hub;
import dev.camrelay.relay.internal.port.http.TestConfig;
import dev.camrelay.relay.internal.port.http.TestJpegs;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.source.pull.FakeMjpegCamera.Fault;
import dev.camrelay.relay.internal.source.pull.FakeMjpegCamera.Plan;
import dev.camrelay.relay.internal.source.pull.FakeMjpegCamera.Style;
import dev.camrelay.relay.testing.CollectingOutput;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MjpegPullerTest {
  private static final byte[] BASE = TestJpegs.gradient(96, 72, 20);
  private static final IntFunction<byte[]> FRAMES = n -> TestJpegs.withSequence(BASE, n);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private RelayConfig config;
  private Hub hub;
  private final List<byte[]> published = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void setUp() {
    config = TestConfig.builder().build();
    hub = new Hub(config, timer, Runnable::run);
    hub.attachOutputs(id -> new CollectingOutput(published));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    timer.shutdownNow();
  }

  private FakeMjpegCamera camera(int port, Style style, IntFunction<Plan> plans) throws Exception {
    FakeMjpegCamera fake = new FakeMjpegCamera(port, style, plans, FRAMES);
    toClose.add(fake);
    return fake;
  }

  private MjpegPuller puller(String id, URI url, Duration readTimeout, Backoff backoff) {
    MjpegPuller puller = new MjpegPuller(hub, id, url, config, null, Duration.ofSeconds(5), readTimeout, backoff);
    toClose.add(puller);
    return puller;
  }

  /**
   * Waits until {@code n} frames were published and the fake camera has recorded as many as sent: it records a frame
   * only after writing it, so the relay may publish it first.
   */
  private void awaitPublishedAndSent(FakeMjpegCamera fake, int n) throws InterruptedException {
    awaitTrue(() -> published.size() >= n && fake.fullySent.size() >= n);
  }

  private static Backoff fastBackoff() {
    return new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), new Random(7));
  }

  private static URI url(FakeMjpegCamera fake, String path) {
    return URI.create("http://127.0.0.1:" + fake.port() + path);
  }

  @Test
  void pullsAnEsp32StreamAndPublishesEveryFrameByteForByte() throws Exception {
    FakeMjpegCamera fake = camera(0, Style.ESP32, n -> Plan.streaming());
    MjpegPuller puller = puller("esp", url(fake, "/stream"), Duration.ofSeconds(10), fastBackoff());
    puller.start();
    awaitPublishedAndSent(fake, 20);

    List<byte[]> sent = List.copyOf(fake.fullySent);
    List<byte[]> got = List.copyOf(published);
    for (int i = 0; i < 20; i++) {
      assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
    }
    CameraStats stats = hub.camera("esp").orElseThrow();
    assertThat(stats.connected()).isTrue();
    assertThat(stats.ingest()).isEqualTo("pull");
    assertThat(stats.remote()).isEqualTo("127.0.0.1:" + fake.port());
    assertThat(stats.width()).isEqualTo(96);
    assertThat(stats.control()).isFalse();
    assertThat(fake.connections()).isEqualTo(1);
    String request = fake.requests.get(0);
    assertThat(request).startsWith("GET /stream HTTP/1.1\r\n").contains("\r\nHost: 127.0.0.1:" + fake.port() + "\r\n")
        .doesNotContain("Authorization");
  }

  @Test
  void pullsAPlainIpCameraStreamWithoutChunking() throws Exception {
    FakeMjpegCamera fake = camera(0, Style.PLAIN_IP_CAMERA, n -> Plan.streaming());
    puller("ipcam", url(fake, "/video.mjpg?channel=1"), Duration.ofSeconds(10), fastBackoff()).start();
    awaitPublishedAndSent(fake, 10);
    for (int i = 0; i < 10; i++) {
      assertThat(published.get(i)).isEqualTo(fake.fullySent.get(i));
    }
    assertThat(fake.requests.get(0)).startsWith("GET /video.mjpg?channel=1 HTTP/1.1\r\n");
  }

  @Test
  void stalledCameraIsDroppedAfterTheReadTimeoutAndPulledAgain() throws Exception {
    FakeMjpegCamera fake = camera(0, Style.ESP32,
        n -> n == 1 ? Plan.fault(Fault.STALL_MID_FRAME, 3) : Plan.streaming());
    puller("hung", url(fake, "/stream"), Duration.ofMillis(400), fastBackoff()).start();
    awaitTrue(() -> fake.connections() >= 2 && published.size() >= 6);

    assertThat(fake.closedByClientDuringStall).containsExactly(1);
    assertThat(fake.partlySent).hasSize(1);
    byte[] cutOff = fake.partlySent.get(0);
    assertThat(published).noneMatch(jpeg -> java.util.Arrays.equals(jpeg, cutOff));
    // Frames 0..2 from the first connection, then the second connection's frames, all complete.
    assertThat(TestJpegs.sequenceOf(published.get(0))).isEqualTo(0);
    assertThat(TestJpegs.sequenceOf(published.get(2))).isEqualTo(2);
    assertThat(TestJpegs.sequenceOf(published.get(3))).isEqualTo(4);
    for (byte[] jpeg : published) {
      assertThat(fake.fullySent).anyMatch(sent -> java.util.Arrays.equals(sent, jpeg));
    }
    String camera = "hung";
    assertThat(hub.camera(camera).orElseThrow().connected()).isTrue();
    assertThat(hub.camera(camera).orElseThrow().framesDropped()).as("the cut-off frame is counted").isEqualTo(1);
  }

  @Test
  void cameraDisconnectingMidFrameNeverGetsItsPartialFramePublished() throws Exception {
    FakeMjpegCamera fake = camera(0, Style.ESP32,
        n -> n == 1 ? Plan.fault(Fault.DISCONNECT_MID_FRAME, 2) : Plan.streaming());
    List<String> events = new CopyOnWriteArrayList<>();
    hub.onCameraEvent(new CameraListener() {
      @Override
      public void onConnected(CameraStats stats) {
        events.add("connected " + stats.ingest());
      }

      @Override
      public void onDisconnected(String cameraId, String reason) {
        events.add("disconnected: " + reason);
      }
    });
    puller("flaky", url(fake, "/stream"), Duration.ofSeconds(10), fastBackoff()).start();
    awaitTrue(() -> fake.connections() >= 2 && published.size() >= 5);

    byte[] cutOff = fake.partlySent.get(0);
    assertThat(TestJpegs.sequenceOf(cutOff)).isEqualTo(2);
    assertThat(published).noneMatch(jpeg -> java.util.Arrays.equals(jpeg, cutOff));
    assertThat(published.stream().map(TestJpegs::sequenceOf).limit(4)).containsExactly(0, 1, 3, 4);
    assertThat(hub.camera("flaky").orElseThrow().framesDropped()).isEqualTo(1);
    assertThat(events.subList(0, 3)).containsExactly("connected pull",
        "disconnected: connection closed by the camera", "connected pull");
  }

  @Test
  void refusedConnectionsAreRetriedWithBackoffUntilTheCameraComesUp() throws Exception {
    int port;
    try (ServerSocket reserve = new ServerSocket(0)) {
      port = reserve.getLocalPort();
    }
    Backoff backoff = fastBackoff();
    puller("late", URI.create("http://127.0.0.1:" + port + "/stream"), Duration.ofSeconds(10), backoff).start();
    awaitTrue(() -> backoff.attempts() >= 4);
    assertThat(published).isEmpty();
    assertThat(hub.camera("late")).as("no camera until a connection works").isEmpty();

    FakeMjpegCamera fake = camera(port, Style.ESP32, n -> Plan.streaming());
    awaitPublishedAndSent(fake, 3);
    assertThat(published.get(0)).isEqualTo(fake.fullySent.get(0));
    awaitTrue(() -> backoff.attempts() == 0); // a working connection resets the backoff
  }

  @Test
  void httpErrorsAndNonStreamsAreRetriedWithoutPublishing() throws Exception {
    FakeMjpegCamera fake = camera(0, Style.ESP32, n -> switch (n) {
      case 1 -> Plan.error("401 Unauthorized");
      case 2 -> Plan.error("404 Not Found");
      case 3 -> Plan.fault(Fault.NOT_MJPEG, 0);
      default -> Plan.streaming();
    });
    puller("picky", url(fake, "/stream"), Duration.ofSeconds(10), fastBackoff()).start();
    awaitPublishedAndSent(fake, 2);
    assertThat(fake.connections()).isEqualTo(4);
    assertThat(published.get(0)).isEqualTo(fake.fullySent.get(0));
  }

  @Test
  void userInfoInTheUrlIsSentAsBasicAuthAndNeverLogged() throws Exception {
    FakeMjpegCamera fake = camera(0, Style.ESP32, n -> Plan.streaming());
    URI url = URI.create("http://admin:p%40ss@127.0.0.1:" + fake.port() + "/stream?pwd=secret");
    MjpegPuller puller = puller("auth", url, Duration.ofSeconds(10), fastBackoff());
    assertThat(puller.safeUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/stream");
    puller.start();
    awaitTrue(() -> !published.isEmpty());
    String expected = Base64.getEncoder().encodeToString("admin:p@ss".getBytes(StandardCharsets.UTF_8));
    assertThat(fake.requests.get(0)).contains("\r\nAuthorization: Basic " + expected + "\r\n")
        .startsWith("GET /stream?pwd=secret HTTP/1.1");
  }

  @Test
  void closeDetachesTheCameraAndEndsThePullThread() throws Exception {
    List<Thread> servingBefore = threadsStartingWith("fake-mjpeg-camera-conn-");
    FakeMjpegCamera fake = camera(0, Style.ESP32, n -> Plan.streaming());
    MjpegPuller puller = new MjpegPuller(hub, "closing", url(fake, "/stream"), config);
    puller.start();
    awaitTrue(() -> published.size() >= 2);
    assertThat(threadsNamed("camrelay-pull-closing")).isPositive();
    assertThat(fake.connections()).isEqualTo(1);
    // The fake camera's thread serving this connection: it streams until a write fails, i.e. until the puller
    // closes the socket (the fake itself is closed only after the test).
    List<Thread> serving = threadsStartingWith("fake-mjpeg-camera-conn-");
    serving.removeAll(servingBefore);
    assertThat(serving).hasSize(1);
    puller.close();
    int publishedWhenClosed = published.size();
    awaitTrue(() -> !hub.camera("closing").orElseThrow().connected());
    awaitTrue(() -> threadsNamed("camrelay-pull-closing") == 0);
    awaitTrue(() -> !serving.get(0).isAlive());
    // The thread that publishes is gone and the camera saw its connection closed: nothing can be published any
    // more, so this checks that nothing was published after close() returned (no waiting needed).
    assertThat(published).hasSize(publishedWhenClosed);
    assertThat(fake.connections()).as("no reconnect after close").isEqualTo(1);
  }

  @Test
  void oversizedFramesAreDroppedAndCounted() throws Exception {
    RelayConfig.Builder small = TestConfig.builder();
    small.maxFrameBytes(1024);
    config = small.build();
    hub = new Hub(config, timer, Runnable::run);
    hub.attachOutputs(id -> new CollectingOutput(published));
    FakeMjpegCamera fake = new FakeMjpegCamera(0, Style.ESP32, n -> Plan.streaming(),
        n -> TestJpegs.noise(64, 64, n));
    toClose.add(fake);
    assertThat(TestJpegs.noise(64, 64, 0).length).as("frames must exceed the limit").isGreaterThan(1024);
    puller("big", url(fake, "/stream"), Duration.ofSeconds(10), fastBackoff()).start();
    awaitTrue(() -> hub.camera("big").map(c -> c.framesDropped() >= 3).orElse(false));
    assertThat(published).isEmpty();
  }

  @Test
  void anotherSourceTakingTheCameraMakesThePullerRetryLaterAndTakeItBack() throws Exception {
    FakeMjpegCamera fake = camera(0, Style.ESP32, n -> Plan.streaming());
    puller("shared", url(fake, "/stream"), Duration.ofSeconds(10), fastBackoff()).start();
    awaitTrue(() -> published.size() >= 2);
    String camera = "shared";
    hub.attachSource(camera, SourceInfo.of("java", "test"), (reason, message) -> { });
    awaitTrue(() -> fake.connections() >= 2 && "pull".equals(hub.camera(camera).orElseThrow().ingest()));
    assertThat(hub.camera(camera).orElseThrow().connected()).isTrue();
  }

  @Test
  void relayShutdownDetachesThePullerWithoutRetrying() throws Exception {
    // Both pullers on one event loop the test owns, so the test can wait for what that loop has done.
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("test-pull-loop", true));
    toClose.add(() -> group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(5000));
    EventLoop loop = group.next();
    FakeMjpegCamera fake = camera(0, Style.ESP32, n -> Plan.streaming());
    Backoff backoff = fastBackoff();
    MjpegPuller puller = new MjpegPuller(hub, "shutdown", url(fake, "/stream"), config, group,
        Duration.ofSeconds(5), Duration.ofSeconds(10), backoff);
    toClose.add(puller);
    // Positive control: a puller with the same backoff whose camera always answers 503 keeps retrying, and it
    // never attaches to the hub, so the shutdown does not stop it.
    FakeMjpegCamera refusing = camera(0, Style.ESP32, n -> Plan.error("503 Service Unavailable"));
    MjpegPuller control = new MjpegPuller(hub, "control", url(refusing, "/stream"), config, group,
        Duration.ofSeconds(5), Duration.ofSeconds(10), fastBackoff());
    toClose.add(control);
    puller.start();
    control.start();
    awaitTrue(() -> published.size() >= 2);
    assertThat(backoff.attempts()).as("a working connection resets the backoff").isZero();

    hub.close();
    awaitTrue(() -> !hub.camera("shutdown").orElseThrow().connected());
    // close() queued the puller's shutdown on its loop; once a task queued after it has run, the puller has
    // ended its connection, and had it wanted to retry it would have asked the backoff for a delay by then.
    loop.submit(() -> { }).get(30, TimeUnit.SECONDS);
    assertThat(backoff.attempts()).as("no retry scheduled after the relay shut down").isZero();
    // Belt and braces, without trusting the wall clock: the loop runs timers in deadline order, so once a task
    // scheduled five backoff caps (5 x 100 ms) later has run, any retry would have started connecting; and two
    // more connections of the control, started on the same loop after that, have reached their camera.
    loop.schedule(() -> { }, 500, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS);
    int controlConnections = refusing.connections();
    awaitTrue(() -> refusing.connections() >= controlConnections + 2);
    assertThat(fake.connections()).as("connections to the camera of the shut-down puller").isEqualTo(1);
  }

  @Test
  void refusesUrlsItCannotPull() {
    assertThatThrownBy(() -> new MjpegPuller(hub, "x", URI.create("rtsp://cam/stream"), config))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> new MjpegPuller(hub, "bad id!", URI.create("http://cam/stream"), config))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("camera id");
  }

  private static List<Thread> threadsStartingWith(String prefix) {
    return new ArrayList<>(Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList());
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(5);
    }
  }
}
