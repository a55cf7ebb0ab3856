package dev.camrelay.cli.probe;

import dev.camrelay.cli.client.WsHandshakeException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Why a probe could not start, said so the user knows what to do: which address refused, that a self-signed
 * certificate wants {@code --insecure}, that a TLS relay wants {@code wss://}, that a 401 wants {@code --token} (once).
 * Never prints a token: URLs go through {@link ProbeCommand#redacted}.
 */
final class ProbeFailures {
  private ProbeFailures() {}

  /** The message for a connection that failed before the relay answered with a status. */
  static String connectFailed(URI uri, Throwable failure, double timeoutSeconds) {
    String where = "cannot watch " + ProbeCommand.redacted(uri) + ": ";
    String address = uri.getHost() + ":" + port(uri);
    if (find(failure, CertificateException.class) != null || find(failure, CertPathBuilderException.class) != null
        || find(failure, CertPathValidatorException.class) != null) {
      return where + "the relay's TLS certificate is not trusted (" + certificateProblem(failure) + "); if you trust"
          + " this relay (e.g. its certificate is self-signed), add --insecure";
    }
    if (find(failure, HttpConnectTimeoutException.class) != null
        || find(failure, io.netty.channel.ConnectTimeoutException.class) != null) {
      return where + "cannot connect to " + address + ": no answer within " + ProbeCommand.fmt(timeoutSeconds) + " s";
    }
    if (find(failure, ConnectException.class) != null) {
      return where + "cannot connect to " + address + ": connection refused (is the relay running, and is "
          + port(uri) + " its " + (isWebSocket(uri) ? "WebSocket" : "HTTP") + " port?)";
    }
    if (find(failure, UnknownHostException.class) != null) {
      return where + "cannot connect to " + address + ": unknown host " + uri.getHost();
    }
    if (failure instanceof WsHandshakeException h && h.status() == 0 && "ws".equals(scheme(uri))) {
      return where + h.getMessage() + "; if it serves TLS, use " + ProbeCommand.redacted(withScheme(uri, "wss"))
          + " (with --insecure for a self-signed certificate)";
    }
    String message = failure.getMessage();
    return where + (message == null ? failure.getClass().getSimpleName() : message);
  }

  /**
   * The message for a relay that answered with an error status (an HTTP response or a refused WebSocket handshake):
   * the status and the relay's own words; for a 401 instead what to do with {@code --token}, said once (the relay's
   * words there are for browsers and curl).
   */
  static String refused(URI uri, int status, String reasonPhrase, String body, boolean tokenGiven) {
    StringBuilder m = new StringBuilder(ProbeCommand.redacted(uri)).append(" answered HTTP ").append(status);
    if (reasonPhrase != null && !reasonPhrase.isBlank()) {
      m.append(' ').append(reasonPhrase.strip());
    }
    if (status == 401) {
      m.append(tokenGiven ? ": the relay refused the token given with --token"
          : ": the relay wants a viewer token; pass it with --token");
    } else if (body != null && !body.isBlank()) {
      m.append(": ").append(body.strip());
    }
    return m.toString();
  }

  private static String certificateProblem(Throwable failure) {
    if (find(failure, CertPathBuilderException.class) != null
        || find(failure, CertPathValidatorException.class) != null) {
      return "not signed by an authority this machine trusts";
    }
    CertificateException c = find(failure, CertificateException.class);
    return c.getMessage() == null ? "invalid certificate" : c.getMessage();
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String scheme(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT);
  }

  private static boolean isWebSocket(URI uri) {
    return scheme(uri).startsWith("ws");
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return scheme(uri).endsWith("s") ? 443 : 80;
  }

  private static URI withScheme(URI uri, String scheme) {
    return URI.create(scheme + uri.toString().substring(uri.getScheme().length()));
  }
}
