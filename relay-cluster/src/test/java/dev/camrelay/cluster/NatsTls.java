package dev.camrelay.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority and a NATS server certificate it signed, valid for 127.0.0.1 and localhost for two
 * days, made with {@code openssl} (nats-server wants PEM files, which keytool cannot write for a key).
 *
 * @param caCert the CA's certificate (PEM)
 * @param serverCert the server's certificate (PEM), signed by the CA
 * @param serverKey the server's private key (PEM, unencrypted)
 */
public record NatsTls(Path caCert, Path serverCert, Path serverKey) {

  /** Makes a new CA and server certificate in {@code dir}. */
  public static NatsTls create(Path dir) throws IOException {
    Path caKey = dir.resolve("ca.key");
    Path ca = dir.resolve("ca.pem");
    Path key = dir.resolve("server.key");
    Path csr = dir.resolve("server.csr");
    Path cert = dir.resolve("server.pem");
    Path ext = Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=camrelay-test-ca");
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=localhost");
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    return new NatsTls(ca, cert, key);
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

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
