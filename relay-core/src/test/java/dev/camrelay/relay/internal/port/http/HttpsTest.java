package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.internal.port.TestKeystores;
import dev.camrelay.relay.internal.port.TlsContexts;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsTest {
  private static final String PASSWORD = "https-test";
  @TempDir static Path dir;
  static HttpFixture http;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    Path keystore = TestKeystores.generate(dir, PASSWORD);
    http = new HttpFixture(TestConfig.builder(), TlsContexts.fromPkcs12(keystore, PASSWORD.toCharArray()));
    SSLContext trusting = TestKeystores.clientTrusting(keystore, PASSWORD);
    client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  private static URI https(String target) {
    return URI.create("https://127.0.0.1:" + http.port + target);
  }

  @Test
  void servesRequestsOverTlsToAClientThatVerifiesTheCertificate() throws Exception {
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(https("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    assertThat(health.sslSession()).isPresent();

    byte[] jpeg = TestJpegs.gradient(80, 60, 7);
    http.publish("tls-cam", jpeg);
    HttpResponse<byte[]> snapshot = client.send(HttpRequest.newBuilder(https("/cam/tls-cam/snapshot.jpg")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(snapshot.body()).isEqualTo(jpeg);
  }

  @Test
  void streamsMjpegOverTls() throws Exception {
    byte[] jpeg = TestJpegs.gradient(80, 60, 9);
    http.publish("tls-stream", jpeg);
    HttpResponse<InputStream> stream = client.send(
        HttpRequest.newBuilder(https("/cam/tls-stream/stream.mjpeg")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = stream.body()) {
      assertThat(stream.headers().firstValue("content-type"))
          .hasValue("multipart/x-mixed-replace; boundary=camrelayframe");
      assertThat(MultipartReading.readPart(body)).isEqualTo(jpeg);
    }
  }

  @Test
  void plainHttpOnTheTlsPortGetsAReadableRefusal() throws Exception {
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.get("/healthz");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(400);
      assertThat(new String(raw.readBody(head), StandardCharsets.UTF_8)).contains("HTTPS");
      assertThat(raw.closedByServer()).isTrue();
    }
  }
}
