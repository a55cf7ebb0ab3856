package dev.camrelay.cluster.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Says in a few words why a first connect to NATS failed, from the exception jnats reported on the way (jnats' own
 * "Unable to connect to NATS servers" does not say). Limits: only the innermost cause's message is shown; messages
 * of TLS and socket exceptions carry no secrets, but neither credentials nor tokens pass through here anyway.
 */
final class ConnectFailure {
  private ConnectFailure() {}

  /** {@code " (reason)"} for {@code e}, or empty when nothing is known. */
  static String reason(Exception e) {
    if (e == null) {
      return "";
    }
    Throwable root = e;
    boolean tls = false;
    boolean untrusted = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      tls |= t instanceof SSLException;
      untrusted |= t instanceof CertPathBuilderException || t instanceof CertificateException;
      root = t;
    }
    if (untrusted) {
      return " (TLS: the server's certificate is not trusted; give a trust store holding the CA that signed it)";
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return tls ? " (TLS handshake failed)" : ""; // a bare TimeoutException says nothing jnats' message does not
    }
    return tls ? " (TLS: " + message + ")" : " (" + message + ")";
  }
}
