package dev.camrelay.cli.simulate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * Opens TCP connections (TLS ones with a {@link CameraTls}) to a relay's ingest port; {@link #closeCurrent()} closes
 * the latest when the camera stops. The TLS handshake has the connect timeout too.
 */
final class RelayConnector {
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final String host;
  private final int port;
  private final StopSignal stop;
  private final CameraTls tls;
  private volatile Socket current;

  /** {@code tlsOrNull}: null for plain TCP. */
  RelayConnector(String host, int port, StopSignal stop, CameraTls tlsOrNull) {
    this.host = host;
    this.port = port;
    this.stop = stop;
    this.tls = tlsOrNull;
  }

  /** A new connection with TCP_NODELAY; fails with a SocketException("closed") if the camera stopped meanwhile. */
  Socket connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      if (tls != null) {
        current = s; // so closeCurrent() can end a stalled handshake
        s.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        s = tls.wrap(s, host, port);
        s.setSoTimeout(0);
      }
    } catch (IOException e) {
      closeQuietly(s);
      throw e;
    }
    current = s;
    if (stop.stopped()) { // the camera stopped between the caller's check and the assignment
      closeQuietly(s);
      throw new SocketException("closed");
    }
    return s;
  }

  /** Ends a per-frame connection's output: a TCP half-close, or for TLS nothing (its close says it). */
  static void endOfFrame(Socket s) throws IOException {
    if (!(s instanceof SSLSocket)) {
      s.shutdownOutput();
    }
  }

  void closeCurrent() {
    closeQuietly(current);
  }

  /** "host:port" ("tls://host:port" with TLS), for log lines. */
  String address() {
    return (tls != null ? "tls://" : "") + host + ":" + port;
  }

  static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /**
   * A connection problem in a few words: "connection refused", a TLS failure with what to do about it, or the
   * exception's message.
   */
  static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = String.valueOf(e.getMessage());
    if (e instanceof SSLHandshakeException && m.contains("PKIX")) {
      return "TLS: the relay's certificate is not signed by a CA this JVM trusts (self-signed? pass"
          + " --tls-fingerprint with the SHA-256 the relay's banner prints)";
    }
    if (e instanceof SSLException && m.contains("terminated the handshake")) {
      return "TLS: the relay closed the handshake (is it running with --tls-keystore?)";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
