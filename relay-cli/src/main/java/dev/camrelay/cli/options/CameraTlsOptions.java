package dev.camrelay.cli.options;

import dev.camrelay.cli.simulate.CameraTls;
import picocli.CommandLine.Option;

/**
 * {@code --tls}, {@code --tls-fingerprint}, {@code --insecure}: a simulated camera's TLS to the relay's camera port
 * (the relay offers it there when started with {@code --tls-keystore}). Either trust option implies {@code --tls}.
 */
public final class CameraTlsOptions {
  @Option(names = "--tls",
      description = "Connect with TLS (a relay started with --tls-keystore); the certificate must be one the JVM"
          + " trusts, for the host name given, unless --tls-fingerprint or --insecure.")
  boolean tls;

  @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
      description = "Accept only the relay certificate with this SHA-256 fingerprint (the relay's banner prints it;"
          + " for self-signed keystores). Implies --tls.")
  String fingerprint;

  @Option(names = "--insecure", description = "Accept any relay certificate (encrypted, but not authenticated)."
      + " Implies --tls.")
  boolean insecure;

  /**
   * The camera's TLS, or null for plain TCP; {@code addressSaysTls} (a {@code tls://} relay address) asks for TLS like
   * {@code --tls}.
   *
   * @throws IllegalArgumentException for both trust options at once or a fingerprint that is not SHA-256 hex
   */
  public CameraTls tlsOrNull(boolean addressSaysTls) {
    if (fingerprint != null && insecure) {
      throw new IllegalArgumentException("--tls-fingerprint and --insecure contradict each other: give one");
    }
    if (fingerprint != null) {
      return CameraTls.pinned(fingerprint);
    }
    if (insecure) {
      return CameraTls.insecure();
    }
    return tls || addressSaysTls ? CameraTls.verified() : null;
  }
}
