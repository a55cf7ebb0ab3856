package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpFrontendTest {
  private HttpFixture fixture;

  private HttpFixture start(RelayConfig.Builder config) throws IOException {
    fixture = new HttpFixture(config);
    return fixture;
  }

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void healthzAnswersOk() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    HttpResponse<byte[]> response = http.get("/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("ok\n");
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void rootServesTheViewerPageWithRevalidationCaching() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    HttpResponse<byte[]> index = http.get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(new String(index.body(), StandardCharsets.UTF_8)).contains("fixture viewer");
    String etag = index.headers().firstValue("etag").orElseThrow();

    HttpResponse<byte[]> again = http.get("/", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    assertThat(http.get("/app.js").headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
    assertThat(http.get("/style.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
    assertThat(http.get("/img/logo.svg").headers().firstValue("content-type")).hasValue("image/svg+xml");
    assertThat(http.get("/nope.js").statusCode()).isEqualTo(404);
  }

  @Test
  void theRealViewerPageFromViewerStaticIsServed() throws Exception {
    assumeTrue(getClass().getClassLoader().getResource("camrelay-viewer/index.html") != null,
        "viewer-static has no camrelay-viewer/index.html on the classpath");
    fixture = new HttpFixture(TestConfig.builder(), null, StaticAssets.viewer());
    HttpResponse<byte[]> index = fixture.get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    String html = new String(index.body(), StandardCharsets.UTF_8);
    // Every file the page links to locally is served with a type the browser accepts (module scripts need JS).
    java.util.regex.Matcher links = java.util.regex.Pattern
        .compile("(?:src|href)=\"([A-Za-z0-9._/-]+\\.(js|css|svg))\"").matcher(html);
    int found = 0;
    while (links.find()) {
      HttpResponse<byte[]> asset = fixture.get("/" + links.group(1));
      assertThat(asset.statusCode()).as(links.group(1)).isEqualTo(200);
      assertThat(asset.headers().firstValue("content-type").orElseThrow()).as(links.group(1))
          .startsWith(switch (links.group(2)) {
            case "js" -> "text/javascript";
            case "css" -> "text/css";
            default -> "image/svg+xml";
          });
      found++;
    }
    assertThat(found).as("assets linked from index.html").isPositive();
  }

  @Test
  void viewerPageCanBeTurnedOff() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.serveViewer(false);
    HttpFixture http = start(config);
    HttpResponse<byte[]> response = http.get("/");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("turned off");
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
  }

  /** Sent byte-exact over a raw socket: real clients would normalise most of these before sending. */
  @ParameterizedTest
  @ValueSource(strings = {
      "/../secret.txt",
      "/../../../../etc/passwd",
      "/img/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/%2E%2E/etc/passwd",
      "/..%2fsecret.txt",
      "/..%2Fsecret.txt",
      "/%2e%2e%2fsecret.txt",
      "/%252e%252e/secret.txt",
      "/%252e%252e%252fsecret.txt",
      "/..\\secret.txt",
      "/..%5csecret.txt",
      "/%5c..%5csecret.txt",
      "/index.html%00",
      "/%00/../secret.txt",
      "//etc/passwd",
      "//secret.txt",
      "/C:/Windows/win.ini",
      "/%c0%ae%c0%ae/secret.txt",
      "/.hidden.txt",
      "/./secret.txt",
      "/http/secret.txt",
      "/secret.txt",
      "http://127.0.0.1/../secret.txt",
  })
  void pathTraversalAttemptsAreRefused(String target) throws Exception {
    HttpFixture http = start(TestConfig.builder());
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).as(target).isIn(400, 404);
      byte[] body = raw.readBody(head);
      assertThat(new String(body, StandardCharsets.ISO_8859_1)).doesNotContain("TOP SECRET").doesNotContain("root:");
    }
  }

  @Test
  void pathTraversalAttemptsGetTheRightStatus() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    assertThat(rawStatus(http, "/%2e%2e/secret.txt")).isEqualTo(400);
    assertThat(rawStatus(http, "/..%2fsecret.txt")).isEqualTo(400);
    assertThat(rawStatus(http, "/%252e%252e/secret.txt")).isEqualTo(400);
    assertThat(rawStatus(http, "/..\\secret.txt")).isEqualTo(400);
    assertThat(rawStatus(http, "/index.html%00")).isEqualTo(400);
    assertThat(rawStatus(http, "//etc/passwd")).isEqualTo(400);
    assertThat(rawStatus(http, "/secret.txt")).isEqualTo(404);
  }

  private static int rawStatus(HttpFixture http, String target) throws IOException {
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      return raw.readHead().status();
    }
  }

  @Test
  void unknownPathsAre404AndUnknownApiPathsAnswerJson() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    assertThat(http.get("/no/such/page.html").statusCode()).isEqualTo(404);
    HttpResponse<byte[]> api = http.get("/api/nope");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    assertThat(JsonParser.parseString(new String(api.body(), StandardCharsets.UTF_8)).getAsJsonObject()
        .get("error").getAsString()).isNotEmpty();
    assertThat(http.get("/cam/x/other.bin").statusCode()).isEqualTo(404);
    assertThat(http.get("/cam/bad%20id/snapshot.jpg").statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
  void methodsOtherThanGetAndHeadAre405(String method) throws Exception {
    HttpFixture http = start(TestConfig.builder());
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send(method + " /api/cameras HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(405);
      assertThat(head.header("allow")).isEqualTo("GET, HEAD");
      assertThat(head.header("connection")).isEqualTo("close");
    }
  }

  @Test
  void headGivesTheHeadersOfGetWithoutTheBody() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    byte[] jpeg = TestJpegs.gradient(64, 48, 1);
    http.publish("cam1", jpeg);
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("HEAD /cam/cam1/snapshot.jpg HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo(Integer.toString(jpeg.length));
      // Keep-alive: the next response follows at once, proving no body bytes were sent for HEAD.
      raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Head next = raw.readHead();
      assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(new String(raw.readBody(next), StandardCharsets.UTF_8)).isEqualTo("ok\n");
    }
  }

  @Test
  void snapshotIsTheLatestFrameByteForByte() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    http.publish("porch", TestJpegs.gradient(64, 48, 1));
    byte[] latest = TestJpegs.gradient(64, 48, 200);
    http.publish("porch", latest);
    HttpResponse<byte[]> response = http.get("/cam/porch/snapshot.jpg");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("image/jpeg");
    assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(latest.length));
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(response.body()).isEqualTo(latest);
  }

  @Test
  void snapshotBeforeTheFirstFrameIs503WithAReason() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    HttpResponse<byte[]> response = http.get("/cam/default/snapshot.jpg");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("camera 'default' has not sent a frame yet\n");
    assertThat(response.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void snapshotOfAnUnknownCameraIs404() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    http.publish("known", TestJpegs.gradient(32, 32, 0));
    HttpResponse<byte[]> response = http.get("/cam/unknown/snapshot.jpg");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("no camera 'unknown'");
  }

  @Test
  void apiCamerasListsEveryContractField() throws Exception {
    HttpFixture http = start(TestConfig.builder().nodeName("loft-1"));
    http.publish("porch", TestJpegs.gradient(64, 48, 1));
    http.publish("attic", TestJpegs.gradient(32, 16, 1));
    HttpResponse<byte[]> response = http.get("/api/cameras");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    JsonArray cameras = JsonParser.parseString(new String(response.body(), StandardCharsets.UTF_8))
        .getAsJsonObject().getAsJsonArray("cameras");
    assertThat(cameras).hasSize(2);
    JsonObject attic = cameras.get(0).getAsJsonObject();
    assertThat(attic.keySet()).containsExactlyInAnyOrder("id", "connected", "ingest", "remote", "width", "height",
        "progressive", "fps", "bitrateKbps", "viewers", "framesIn", "framesDropped", "lastFrameAgeMs", "control",
        "onDemand", "streaming", "state", "node");
    assertThat(attic.get("id").getAsString()).isEqualTo("attic");
    assertThat(attic.get("node").getAsString()).as("this relay's node name").isEqualTo("loft-1");
    assertThat(attic.get("state").getAsString()).isEqualTo("live");
    assertThat(attic.get("connected").getAsBoolean()).isTrue();
    assertThat(attic.get("ingest").getAsString()).isEqualTo("java");
    assertThat(attic.get("width").getAsInt()).isEqualTo(32);
    assertThat(attic.get("height").getAsInt()).isEqualTo(16);
    assertThat(attic.get("framesIn").getAsLong()).isEqualTo(1);
    assertThat(cameras.get(1).getAsJsonObject().get("id").getAsString()).isEqualTo("porch");
  }

  @Test
  void apiInfoTellsThePageHowToConnect() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.viewerToken("view-secret");
    HttpFixture http = start(config);
    HttpResponse<byte[]> response = http.get("/api/info");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject info = JsonParser.parseString(new String(response.body(), StandardCharsets.UTF_8)).getAsJsonObject();
    assertThat(info.keySet()).containsExactlyInAnyOrder("version", "wsPort", "wsTls", "httpTls", "authRequired",
        "controlRequiresToken", "tcpPort", "rtspPort");
    assertThat(info.get("version").getAsString()).isEqualTo("test-version");
    assertThat(info.get("tcpPort").getAsInt()).isEqualTo(3008);
    assertThat(info.get("wsPort").getAsInt()).isEqualTo(3009);
    assertThat(info.get("authRequired").getAsBoolean()).isTrue();
  }

  @Test
  void metricsAreValidPrometheusTextWithPerCameraSamples() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    http.publish("porch", TestJpegs.gradient(64, 48, 1));
    http.publish("porch", TestJpegs.gradient(64, 48, 2));
    http.publish("attic", TestJpegs.gradient(32, 16, 1));
    HttpResponse<byte[]> response = http.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    PrometheusTextParser metrics = PrometheusTextParser.parse(new String(response.body(), StandardCharsets.UTF_8));
    assertThat(metrics.types).containsEntry("camrelay_camera_frames_in_total", "counter")
        .containsEntry("camrelay_camera_frames_dropped_total", "counter")
        .containsEntry("camrelay_camera_viewers", "gauge")
        .containsEntry("camrelay_camera_fps", "gauge")
        .containsEntry("camrelay_camera_connected", "gauge")
        .containsEntry("camrelay_http_connections", "gauge")
        .containsEntry("camrelay_connections", "gauge");
    assertThat(metrics.helps).containsKeys(metrics.types.keySet().toArray(new String[0]));
    assertThat(metrics.value("camrelay_camera_frames_in_total", "camera", "porch")).isEqualTo(2);
    assertThat(metrics.value("camrelay_camera_frames_in_total", "camera", "attic")).isEqualTo(1);
    assertThat(metrics.value("camrelay_camera_connected", "camera", "porch")).isEqualTo(1);
    assertThat(metrics.value("camrelay_cameras")).isEqualTo(2);
    assertThat(metrics.value("camrelay_http_connections")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.value("camrelay_connections")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void viewerTokenIsRequiredEverywhereButHealthInfoAndThePage() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.viewerToken("view-secret");
    // Ten wrong tokens from one address follow: more than the default burst (throttling is AuthThrottleTest's).
    config.authThrottle(100, Duration.ofSeconds(1), Duration.ofSeconds(1));
    HttpFixture http = start(config);
    http.publish("porch", TestJpegs.gradient(64, 48, 1));
    for (String target : List.of("/api/cameras", "/metrics", "/cam/porch/snapshot.jpg", "/cam/porch/stream.mjpeg",
        "/cam/nope/snapshot.jpg")) {
      HttpResponse<byte[]> refused = http.get(target);
      assertThat(refused.statusCode()).as(target).isEqualTo(401);
      assertThat(refused.headers().firstValue("www-authenticate")).as(target).hasValue("Bearer realm=\"camrelay\"");
      HttpResponse<byte[]> wrong = http.get(target, "Authorization", "Bearer guess");
      assertThat(wrong.statusCode()).as(target).isEqualTo(401);
      assertThat(wrong.headers().firstValue("www-authenticate").orElseThrow()).contains("invalid_token");
      assertThat(http.get(target + "?token=guess").statusCode()).as(target).isEqualTo(401);
    }
    assertThat(http.get("/api/cameras", "Authorization", "Bearer view-secret").statusCode()).isEqualTo(200);
    assertThat(http.get("/api/cameras", "Authorization", "bearer view-secret").statusCode()).isEqualTo(200);
    assertThat(http.get("/metrics?token=view-secret").statusCode()).isEqualTo(200);
    assertThat(http.get("/cam/porch/snapshot.jpg?token=view-secret").statusCode()).isEqualTo(200);
    assertThat(http.get("/cam/porch/snapshot.jpg?x=1&token=view%2Dsecret").statusCode()).isEqualTo(200);
    for (String open : List.of("/healthz", "/", "/app.js", "/api/info")) {
      assertThat(http.get(open).statusCode()).as(open).isEqualTo(200);
    }
  }

  @Test
  void controlTokenAlsoAllowsViewing() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.viewerToken("view-secret");
    config.controlToken("control-secret");
    HttpFixture http = start(config);
    assertThat(http.get("/api/cameras", "Authorization", "Bearer control-secret").statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedRequestHeadersGet431() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(431);
      assertThat(raw.closedByServer()).isTrue();
    }
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(raw.readHead().status()).isEqualTo(414);
    }
  }

  @Test
  void garbageInsteadOfHttpIs400() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("\u0016\u0003\u0001 not http at all\r\n\r\n");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(400);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void headersSentOneByteAtATimeAreCutOffByTheHeadTimeout() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.handshakeTimeout(java.time.Duration.ofMillis(500));
    HttpFixture http = start(config);
    String request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "s".repeat(200) + "\r\n\r\n";
    try (RawHttp raw = RawHttp.connect(http.port)) {
      int sent = 0;
      boolean closed = false;
      // One byte every 50 ms would take 12 s; the server must hang up long before the head completes.
      for (; sent < request.length(); sent++) {
        try {
          raw.out.write(request.charAt(sent));
          raw.out.flush();
        } catch (IOException e) {
          closed = true;
          break;
        }
        Thread.sleep(50);
        if (raw.socket.getInputStream().available() > 0) {
          break;
        }
      }
      if (!closed) {
        closed = raw.closedByServer();
      }
      assertThat(closed).isTrue();
      assertThat(sent).isLessThan(request.length());
    }
  }

  @Test
  void idleConnectionWithoutARequestIsClosed() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.handshakeTimeout(java.time.Duration.ofMillis(300));
    HttpFixture http = start(config);
    try (RawHttp raw = RawHttp.connect(http.port)) {
      assertThat(raw.in.read()).isEqualTo(-1);
    }
  }

  @Test
  void connectionsBeyondTheLimitAreAnswered503() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.maxConnectionsPerIp(2);
    HttpFixture http = start(config);
    try (RawHttp a = RawHttp.connect(http.port); RawHttp b = RawHttp.connect(http.port)) {
      // Both admitted: each gets an answer on a kept-alive connection.
      a.get("/healthz");
      assertThat(a.readHead().status()).isEqualTo(200);
      b.get("/healthz");
      assertThat(b.readHead().status()).isEqualTo(200);
      try (RawHttp c = RawHttp.connect(http.port)) {
        c.get("/healthz");
        RawHttp.Head head = c.readHead();
        assertThat(head.status()).isEqualTo(503);
        assertThat(new String(c.readBody(head), StandardCharsets.UTF_8))
            .contains("too many connections: 127.0.0.1 has 2 connections (limit 2 per address)");
      }
    }
    // Once the others are gone, a new connection is served again.
    awaitOpenConnections(http, 0);
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void totalConnectionLimitAppliesToo() throws Exception {
    RelayConfig.Builder config = TestConfig.builder();
    config.maxConnections(1);
    HttpFixture http = start(config);
    try (RawHttp a = RawHttp.connect(http.port)) {
      a.get("/healthz");
      assertThat(a.readHead().status()).isEqualTo(200);
      try (RawHttp b = RawHttp.connect(http.port)) {
        b.get("/healthz");
        RawHttp.Head head = b.readHead();
        assertThat(head.status()).isEqualTo(503);
        assertThat(new String(b.readBody(head), StandardCharsets.UTF_8))
            .contains("too many connections: relay has 1 connections (limit 1)");
      }
    }
  }

  private static void awaitOpenConnections(HttpFixture http, int expected) throws InterruptedException {
    for (int i = 0; i < 1000 && http.http.gate().open() != expected; i++) {
      Thread.sleep(10);
    }
    assertThat(http.http.gate().open()).isEqualTo(expected);
    assertThat(http.limiter.total()).isEqualTo(expected);
  }

  @Test
  void bindingAPortInUseNamesThePortAndItsSettingButNoFlag() throws Exception {
    HttpFixture http = start(TestConfig.builder());
    RelayConfig.Builder second = TestConfig.builder();
    second.httpPort(http.port);
    Set<String> messages = new TreeSet<>();
    try {
      new HttpFixture(second).close();
      messages.add("bound twice?");
    } catch (dev.camrelay.relay.PortBindException e) {
      assertThat(e.setting()).isEqualTo(dev.camrelay.relay.PortBindException.Setting.HTTP_PORT);
      messages.add(e.getMessage());
    }
    assertThat(messages).singleElement().asString()
        .isEqualTo("HTTP port " + http.port + " is already in use");
  }
}
