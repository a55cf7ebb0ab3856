package dev.camrelay.relay.internal.port;

import dev.camrelay.relay.PortBindException;

/** The one wording for a port that cannot be bound; the setting is named by type, never by a CLI flag. */
public final class BindFailures {
  private BindFailures() {}

  /** E.g. {@code TCP ingest port 3008 is already in use}, or {@code cannot listen on host:port for the ... port: why}. */
  public static PortBindException of(PortBindException.Setting setting, String what, String host, int port,
      Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    // The JDK says so with a BindException, Netty's native transport with its own IOException: same words.
    String message = why.toLowerCase(java.util.Locale.ROOT).contains("already in use")
        ? what + " port " + port + " is already in use"
        : "cannot listen on " + host + ":" + port + " for the " + what + " port: " + why;
    return new PortBindException(setting, port, message, cause);
  }
}
