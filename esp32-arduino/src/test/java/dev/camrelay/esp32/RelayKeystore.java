package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A relay's TLS keystore made by the JDK's keytool (PKCS#12, self-signed EC P-256, valid two days), and the
 * fingerprint a user pastes into the camera's set-up portal: the SHA-256 of the certificate (DER), colon-separated.
 */
record RelayKeystore(Path path, char[] password) {
  private static final String ALIAS = "camrelay";

  static RelayKeystore create(Path file) throws Exception {
    String password = "changeit";
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", file.toString(), "-storepass", password, "-keypass", password)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool: %s", output).isTrue();
    return new RelayKeystore(file, password.toCharArray());
  }

  String fingerprint() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      ks.load(in, password);
    }
    byte[] der = ks.getCertificate(ALIAS).getEncoded();
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
  }
}
