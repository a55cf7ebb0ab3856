package dev.camrelay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed PKCS#12 keystore made with the JDK's keytool, valid for 127.0.0.1 and localhost. */
public final class TestKeystore {
  private TestKeystore() {}

  /** Runs {@code keytool -genkeypair -storetype PKCS12} and returns {@code dir/relay.p12}. */
  public static Path generate(Path dir, String password) throws IOException, InterruptedException {
    return generate(dir, password, List.of("-ext", "SAN=ip:127.0.0.1,dns:localhost"));
  }

  /**
   * Like {@link #generate(Path, String)} but with no subject alternative names, so a client reaching the relay by
   * IP address fails the host name check unless it skips verification altogether.
   */
  public static Path generateWithoutHostNames(Path dir, String password) throws IOException, InterruptedException {
    return generate(dir, password, List.of());
  }

  private static Path generate(Path dir, String password, List<String> extensions)
      throws IOException, InterruptedException {
    Path p12 = dir.resolve("relay.p12");
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "relay", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", password, "-keypass", password));
    command.addAll(extensions);
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = keytool.getInputStream().readAllBytes();
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
    }
    return p12;
  }

  /** The keystore's certificate. */
  public static X509Certificate certificate(Path p12, String password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, password.toCharArray());
    }
    return (X509Certificate) ks.getCertificate("relay");
  }
}
