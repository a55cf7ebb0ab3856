package dev.camrelay.relay.internal.port.http;

import java.time.Duration;

/**
 * An admin request whose body the relay reads ({@link AdminRoute}, {@link FirmwareUploadRoute}): answered once the
 * body is complete, after {@link AdminGate} admitted its head; the connection is closed after the answer.
 */
interface BodyRoute {
  /** The largest body taken (413 beyond, before it is read when Content-Length says so). */
  int maxBody();

  /** How long the body may take to arrive, given the relay's usual request timeout. */
  default Duration bodyTimeout(Duration usual) {
    return usual;
  }

  /** Answers the request; may answer later, from another thread. */
  void handle(HttpExchange exchange, byte[] body);
}
