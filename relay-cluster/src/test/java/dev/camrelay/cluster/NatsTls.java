package dev.camrelay.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority and a NATS server certificate it signed, valid for 127.0.0.1 and localhost for two
 * days, made with the JDK's keytool (nothing else to install); the server's key is written as PEM (PKCS#8) from the
 * keystore, since nats-server reads PEM files only.
 *
 * @param caCert the CA's certificate (PEM)
 * @param serverCert the server's certificate (PEM), signed by the CA
 * @param serverKey the server's private key (PEM, PKCS#8, unencrypted)
 */
public record NatsTls(Path caCert, Path serverCert, Path serverKey) {
  private static final String PASSWORD = "test-keystores";

  /** Makes a new CA and server certificate in {@code dir}. */
  public static NatsTls create(Path dir) throws IOException {
    Path caStore = dir.resolve("ca.p12");
    Path serverStore = dir.resolve("server.p12");
    Path csr = dir.resolve("server.csr");
    Path ca = dir.resolve("ca.pem");
    Path cert = dir.resolve("server.pem");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=camrelay-test-ca", "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore",
        caStore.toString(), "-storepass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
        "-file", ca.toString());
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", PASSWORD);
    keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-storepass", PASSWORD,
        "-file", csr.toString());
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
        "-infile", csr.toString(), "-outfile", cert.toString(), "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-validity", "2");
    return new NatsTls(ca, cert, writeKey(serverStore, dir.resolve("server.key")));
  }

  private static Path writeKey(Path store, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      Key key = ks.getKey("server", PASSWORD.toCharArray());
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      return Files.writeString(file, pem);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the server key: " + e.getMessage(), e);
    }
  }

  /** Writes a PKCS#12 trust store holding only the CA's certificate to {@code file}. */
  public Path trustStore(Path file, char[] password) throws IOException {
    try (InputStream in = Files.newInputStream(caCert); OutputStream out = Files.newOutputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("camrelay-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      store.store(out, password);
      return file;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the trust store: " + e.getMessage(), e);
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
