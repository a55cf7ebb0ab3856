package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** A self-signed PKCS#12 keystore for a TLS relay in tests, made as the README tells users to (with keytool). */
public final class SelfSignedKeystore {
  private SelfSignedKeystore() {}

  /** Writes {@code dir/relay.p12} for CN=localhost with {@code password} (at least 6 characters) and returns it. */
  public static Path create(Path dir, String password) throws Exception {
    Path p12 = dir.resolve("relay.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "relay", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", password, "-keypass", password)
        .redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).as("keytool made a keystore").isZero();
    return p12;
  }
}
