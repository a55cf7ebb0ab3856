package dev.camrelay.cli.simulate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/** Opens TCP connections to a relay's ingest port; {@link #closeCurrent()} closes the latest when the camera stops. */
final class RelayConnector {
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final String host;
  private final int port;
  private final StopSignal stop;
  private volatile Socket current;

  RelayConnector(String host, int port, StopSignal stop) {
    this.host = host;
    this.port = port;
    this.stop = stop;
  }

  /** A new connection with TCP_NODELAY; fails with a SocketException("closed") if the camera stopped meanwhile. */
  Socket connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
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

  void closeCurrent() {
    closeQuietly(current);
  }

  /** "host:port", for log lines. */
  String address() {
    return host + ":" + port;
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

  /** A connection problem in a few words: "connection refused", or the exception's message. */
  static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
