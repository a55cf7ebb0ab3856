package dev.camrelay.relay.internal.port.tcp;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;

/**
 * Names a failed TLS handshake for one log line and its rate-limit key. The JDK's messages are fixed phrases
 * ("no cipher suites in common", "Received fatal alert: certificate_unknown"); Netty's not-a-record message carries a
 * hex dump of the peer's bytes, which is replaced by a fixed phrase so no peer bytes reach the log.
 */
final class TlsFailures {
  private static final int MAX_MESSAGE = 120;
  private static final int MAX_KIND = 60;

  private TlsFailures() {}

  /**
   * Whether the handshake ended only because the connection closed: the peer hung up (a port scan) or the relay
   * closed it (the handshake deadline, which logs its own line).
   */
  static boolean closedMidHandshake(Throwable cause) {
    return root(cause) instanceof ClosedChannelException;
  }

  /** {@code "no cipher suites in common"}, or a fixed phrase for records that are not TLS. */
  static String describe(Throwable cause) {
    Throwable root = root(cause);
    if (root instanceof NotSslRecordException) {
      return "not a TLS record after a TLS-like start";
    }
    String m = root.getMessage();
    if (m == null || m.isBlank()) {
      return root.getClass().getSimpleName();
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(m.length(), MAX_MESSAGE); i++) {
      char c = m.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return m.length() > MAX_MESSAGE ? out + "..." : out.toString();
  }

  /** The rate-limit key: the failure's class and message with digits dropped, so one kind is one key. */
  static String kind(Throwable cause) {
    String k = root(cause).getClass().getSimpleName() + ":" + describe(cause).replaceAll("[0-9]", "");
    return k.length() > MAX_KIND ? k.substring(0, MAX_KIND) : k;
  }

  private static Throwable root(Throwable cause) {
    return cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
  }
}
