package dev.camrelay.relay.internal.port;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Test keystores made with the JDK's own keytool, for a certificate valid for 127.0.0.1 and localhost. */
public final class TestKeystores {
  private TestKeystores() {}

  /** Runs {@code keytool -genkeypair -storetype PKCS12} and returns the new file. */
  public static Path generate(Path dir, String password) throws IOException, InterruptedException {
    Path file = dir.resolve("relay.p12");
    keytool("-genkeypair", "-alias", "camrelay", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password, "-keypass", password);
    return file;
  }

  /** Exports the certificate of {@code keystore} and imports it into a new PKCS12 holding only that certificate. */
  public static Path certificateOnly(Path keystore, String password) throws IOException, InterruptedException {
    Path cert = keystore.resolveSibling("relay.cer");
    Path trust = keystore.resolveSibling("trust-only.p12");
    keytool("-exportcert", "-alias", "camrelay", "-keystore", keystore.toString(), "-storepass", password,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "camrelay", "-file", cert.toString(), "-storetype", "PKCS12",
        "-keystore", trust.toString(), "-storepass", password);
    return trust;
  }

  /** A client context that trusts exactly the certificate in {@code keystore} (no trust-all). */
  public static SSLContext clientTrusting(Path keystore, String password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, password.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>();
    command.add(keytool.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
    }
  }
}
