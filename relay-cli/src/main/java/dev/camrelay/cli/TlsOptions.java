package dev.camrelay.cli;

import dev.camrelay.cli.simulate.CameraTls;
import dev.camrelay.relay.CameraRelay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --tls-keystore} and its password: serve https:// and wss://, and accept TLS cameras on the TCP port
 * (plain TCP cameras too, unless {@code --require-camera-tls}).
 */
final class TlsOptions {
  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "PKCS#12 keystore: serve https:// and wss:// instead of http:// and ws://, and accept TLS"
          + " (tls://) cameras on the TCP port besides plain TCP ones.")
  Path tlsKeystore;

  @Option(names = "--tls-password", paramLabel = "PASSWORD",
      description = "Keystore password (prefer CAMRELAY_TLS_PASSWORD, which stays out of the process list).")
  String tlsPassword;

  @Option(names = "--require-camera-tls",
      description = "Refuse plain-TCP cameras on the TCP port (a framed camera is told TLS is required); needs"
          + " --tls-keystore. Without it, existing plain-TCP firmware keeps working.")
  boolean requireCameraTls;

  boolean enabled() {
    return tlsKeystore != null;
  }

  boolean cameraTlsRequired() {
    return requireCameraTls;
  }

  /** A usage error for a password without a keystore; a user error for a keystore that is missing or unreadable. */
  void check(CommandLine cl) {
    if (tlsKeystore == null) {
      if (tlsPassword != null) {
        throw new ParameterException(cl, "--tls-password needs --tls-keystore");
      }
      if (requireCameraTls) {
        throw new ParameterException(cl, "--require-camera-tls needs --tls-keystore");
      }
      return;
    }
    ReadableFile.check(tlsKeystore, "TLS keystore", "--tls-keystore");
  }

  void applyTo(CameraRelay.Builder relay) {
    if (tlsKeystore != null) {
      relay.tls(tlsKeystore, tlsPassword == null ? new char[0] : tlsPassword.toCharArray());
      relay.requireCameraTls(requireCameraTls);
    }
  }

  /**
   * The SHA-256 fingerprint of the keystore's certificate ({@code AB:CD:...}), for cameras that pin it; null without
   * TLS or when the keystore cannot be read (the relay would not have started then).
   */
  String certificateFingerprint() {
    if (tlsKeystore == null) {
      return null;
    }
    char[] password = tlsPassword == null ? new char[0] : tlsPassword.toCharArray();
    try (InputStream in = Files.newInputStream(tlsKeystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      for (String alias : Collections.list(ks.aliases())) {
        if (ks.isKeyEntry(alias) && ks.getCertificate(alias) instanceof X509Certificate cert) {
          return CameraTls.fingerprint(cert);
        }
      }
      return null;
    } catch (IOException | GeneralSecurityException e) {
      return null;
    }
  }

  /** How the --demo camera reaches this relay: TLS pinned to its own certificate when it has one, else plain TCP. */
  CameraTls demoCameraTls() {
    String fingerprint = certificateFingerprint();
    return fingerprint == null ? null : CameraTls.pinned(fingerprint);
  }

  /** Why the relay could not start, naming the keystore when the failure is about it. */
  String startFailure(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String lower = m.toLowerCase(Locale.ROOT);
    if (tlsKeystore != null && (lower.contains("keystore") || lower.contains("password"))) {
      String named = m.contains(tlsKeystore.toString()) ? m : "TLS keystore " + tlsKeystore + ": " + m;
      if (lower.contains("password")) {
        named += tlsPassword == null
            ? " (no password was given: set CAMRELAY_TLS_PASSWORD, or --tls-password)"
            : " (check the password given with --tls-password or CAMRELAY_TLS_PASSWORD)";
      }
      return named;
    }
    return "cannot start: " + m;
  }
}
