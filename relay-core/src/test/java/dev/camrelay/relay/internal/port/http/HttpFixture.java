package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import dev.camrelay.relay.internal.hub.Hub;
import dev.camrelay.relay.internal.past.Past;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.LiveCameras;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.runtime.RelayInfo;
import dev.camrelay.relay.internal.runtime.RelayMeters;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** An {@link HttpFrontend} on an ephemeral loopback port over a real {@link Hub}, for tests. */
final class HttpFixture implements AutoCloseable {
  final RelayConfig config;
  final Hub hub;
  final Authenticator auth;
  final NioEventLoopGroup boss = new NioEventLoopGroup(1);
  final NioEventLoopGroup workers = new NioEventLoopGroup(2);
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-hub-timer");
    t.setDaemon(true);
    return t;
  });
  final ConnectionLimiter limiter;
  final LiveCameras registry;
  final HttpFrontend http;
  final Past past;
  final int port;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  HttpFixture(RelayConfig.Builder testConfig) throws IOException {
    this(testConfig, (SSLContext) null);
  }

  HttpFixture(RelayConfig.Builder testConfig, SSLContext tls) throws IOException {
    this(testConfig.build(), tls);
  }

  private HttpFixture(RelayConfig config, SSLContext tls) throws IOException {
    this(config, tls, config.serveViewer()
        ? new StaticAssets(HttpFixture.class.getClassLoader(), StaticAssetsTest.FIXTURE_ROOT) : null);
  }

  HttpFixture(RelayConfig.Builder testConfig, SSLContext tls, StaticAssets assets) throws IOException {
    this(testConfig.build(), tls, assets);
  }

  private HttpFixture(RelayConfig builtConfig, SSLContext tls, StaticAssets assets) throws IOException {
    this(builtConfig, tls, assets, Past.none());
  }

  /** A frontend serving {@code past}'s recordings, which the fixture closes. */
  HttpFixture(RelayConfig.Builder testConfig, Past past) throws IOException {
    this(testConfig.build(), null, null, past);
  }

  private HttpFixture(RelayConfig builtConfig, SSLContext tls, StaticAssets assets, Past past) throws IOException {
    this.past = past;
    config = builtConfig;
    hub = new Hub(config, timer, Runnable::run);
    limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp());
    auth = new Authenticator(config);
    RelayInfo info = new RelayInfo("test-version", 3009, false, tls != null, auth.viewerAuthRequired(),
        auth.controlRequiresToken(), 3008, -1);
    registry = new LiveCameras(config, hub, auth, () -> workers);
    FirmwareUpdates firmware = new FirmwareUpdates(hub, timer, () -> -1, tls != null, config.maxFirmwareBytes(),
        FirmwareUpdates.DEFAULT_LIFETIME);
    http = new HttpFrontend(config, hub, auth, info, boss, workers, tls, limiter, registry, meters(hub, auth), past,
        firmware, assets);
    try {
      port = http.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Publishes through the hub as an in-process source (ingest "java"). */
  void publish(String cameraId, byte[] jpeg) {
    hub.publish(cameraId, TestJpegs.frame(jpeg));
  }

  /** Viewers of camera {@code cameraId} right now. */
  int viewers(String cameraId) {
    return hub.camera(cameraId).map(CameraStats::viewers).orElse(0);
  }

  HttpResponse<byte[]> get(String target, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
        .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  String getText(String target, String... headers) throws IOException, InterruptedException {
    return new String(get(target, headers).body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
    hub.close();
    http.close();
    past.close();
    boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    timer.shutdownNow();
  }

  /** The relay's meters as the runtime makes them: the hub's, the auth counters, then the frontend's. */
  private static RelayMeters meters(Hub hub, Authenticator auth) {
    RelayMeters meters = new RelayMeters(hub, null);
    auth.failures().bindTo(meters.registry());
    return meters;
  }
}
