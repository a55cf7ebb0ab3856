package dev.camrelay.relay.internal.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {
  private static final String PASSWORD = "relay-secret";

  @TempDir static Path dir;
  static Path keystore;

  @BeforeAll
  static void makeKeystore() throws Exception {
    keystore = TestKeystores.generate(dir, PASSWORD);
  }

  @Test
  void contextFromGeneratedKeystoreCompletesAHandshakeWithAClientTrustingItsCertificate() throws Exception {
    SSLContext server = TlsContexts.fromPkcs12(keystore, PASSWORD.toCharArray());
    SSLContext client = TestKeystores.clientTrusting(keystore, PASSWORD);
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
      CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          int b = socket.getInputStream().read();
          socket.getOutputStream().write(b + 1);
          socket.getOutputStream().flush();
          return b;
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(41);
        out.flush();
        assertThat(new DataInputStream(socket.getInputStream()).read()).isEqualTo(42);
        assertThat(socket.getSession().getPeerCertificates()).isNotEmpty();
      }
      assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo(41);
    }
  }

  @Test
  void missingFileIsAnIOExceptionNamingTheFile() {
    Path missing = dir.resolve("nope.p12");
    assertThatThrownBy(() -> TlsContexts.fromPkcs12(missing, PASSWORD.toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void wrongPasswordIsAnIOExceptionNamingTheFileButNotThePassword() {
    assertThatThrownBy(() -> TlsContexts.fromPkcs12(keystore, "guess".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(keystore.toString())
        .hasMessageContaining("wrong password")
        .hasMessageNotContaining("guess")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void fileThatIsNotAKeystoreIsAnIOExceptionNamingTheFile() throws IOException {
    Path garbage = Files.write(dir.resolve("garbage.p12"), "not a keystore\n".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> TlsContexts.fromPkcs12(garbage, PASSWORD.toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(garbage.toString());
  }

  @Test
  void directoryIsAnIOExceptionNamingIt() {
    assertThatThrownBy(() -> TlsContexts.fromPkcs12(dir, PASSWORD.toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("directory");
  }

  @Test
  void keystoreWithOnlyACertificateIsRefusedBecauseItHasNoPrivateKey() throws Exception {
    Path certOnly = TestKeystores.certificateOnly(keystore, PASSWORD);
    assertThatThrownBy(() -> TlsContexts.fromPkcs12(certOnly, PASSWORD.toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(certOnly.toString())
        .hasMessageContaining("no private key");
  }
}
