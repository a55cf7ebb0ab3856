package dev.camrelay.relay.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.internal.port.TestKeystores;
import dev.camrelay.relay.testing.FakeCamera;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Random;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay with TLS offers updates at an {@code https://} URL on its HTTP port, to a camera connected over TLS, and
 * serves the image there (the camera pins the relay's certificate, as for its own connection).
 */
class FirmwareOverTlsTest {
  private static final String PASSWORD = "changeit";
  private static final String ADMIN = "adm1n-tls";

  @TempDir
  Path dir;

  /** An HTTPS request trusting the test keystore; the host name is not checked (the certificate is for localhost). */
  private static HttpsURLConnection open(String url, SSLContext trust) throws Exception {
    HttpsURLConnection c = (HttpsURLConnection) new URL(url).openConnection();
    c.setSSLSocketFactory(trust.getSocketFactory());
    c.setHostnameVerifier((host, session) -> true);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(20_000);
    return c;
  }

  @Test
  void theImageUrlIsHttpsOnTheRelaysHttpPortAndServesTheImage() throws Exception {
    Path p12 = TestKeystores.generate(dir, PASSWORD);
    SSLContext trust = TestKeystores.clientTrusting(p12, PASSWORD);
    byte[] image = new byte[70_000];
    new Random(3).nextBytes(image);
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(0)
        .tls(p12, PASSWORD.toCharArray()).adminToken(ADMIN).build()) {
      relay.start();
      try (FakeCamera cam = FakeCamera.framed(FakeCamera.openTls(relay.tcpPort(), trust), "porch", null,
          Hello.CONTROL).answerControl(json -> "{\"ok\":true}")) {
        cam.awaitWelcome();
        HttpsURLConnection post = open("https://127.0.0.1:" + relay.httpPort() + "/api/cameras/porch/firmware", trust);
        post.setRequestMethod("POST");
        post.setRequestProperty("Authorization", "Bearer " + ADMIN);
        post.setDoOutput(true);
        try (OutputStream out = post.getOutputStream()) {
          out.write(image);
        }
        assertThat(post.getResponseCode()).isEqualTo(202);

        String url = JsonParser.parseString(cam.awaitControl().json()).getAsJsonObject().get("url").getAsString();
        assertThat(url).startsWith("https://127.0.0.1:" + relay.httpPort() + "/firmware/");
        HttpsURLConnection get = open(url, trust);
        assertThat(get.getResponseCode()).isEqualTo(200);
        try (InputStream in = get.getInputStream()) {
          assertThat(in.readAllBytes()).isEqualTo(image);
        }
      }
    }
  }
}
