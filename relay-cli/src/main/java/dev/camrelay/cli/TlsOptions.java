package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --tls-keystore} and its password: serve https:// and wss://. */
final class TlsOptions {
  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "PKCS#12 keystore: serve https:// and wss:// instead of http:// and ws://.")
  Path tlsKeystore;

  @Option(names = "--tls-password", paramLabel = "PASSWORD",
      description = "Keystore password (prefer CAMRELAY_TLS_PASSWORD, which stays out of the process list).")
  String tlsPassword;

  boolean enabled() {
    return tlsKeystore != null;
  }

  /** A usage error for a password without a keystore; a user error for a keystore that is missing or unreadable. */
  void check(CommandLine cl) {
    if (tlsKeystore == null) {
      if (tlsPassword != null) {
        throw new ParameterException(cl, "--tls-password needs --tls-keystore");
      }
      return;
    }
    if (!Files.exists(tlsKeystore)) {
      throw new UserError("TLS keystore " + tlsKeystore + " does not exist (--tls-keystore)");
    }
    if (!Files.isRegularFile(tlsKeystore) || !Files.isReadable(tlsKeystore)) {
      throw new UserError("TLS keystore " + tlsKeystore + " is not a readable file (--tls-keystore)");
    }
  }

  void applyTo(CameraRelay.Builder relay) {
    if (tlsKeystore != null) {
      relay.tls(tlsKeystore, tlsPassword == null ? new char[0] : tlsPassword.toCharArray());
    }
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
