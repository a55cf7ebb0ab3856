package dev.camrelay.cli.client;

import java.io.IOException;

/**
 * The relay did not switch to WebSocket: it answered the handshake with an HTTP status (a 401 for a missing token),
 * or closed the connection without answering (as a TLS port does to a plain ws:// client, or a full relay).
 */
public final class WsHandshakeException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String reasonPhrase;
  private final String body;

  WsHandshakeException(int status, String reasonPhrase, String body) {
    super(status == 0 ? "the relay closed the connection without answering the WebSocket handshake"
        : "WebSocket handshake refused: HTTP " + status + " " + reasonPhrase);
    this.status = status;
    this.reasonPhrase = reasonPhrase;
    this.body = body;
  }

  /** The HTTP status of the answer, or 0 when the connection closed without one. */
  public int status() {
    return status;
  }

  /** The answer's reason phrase (e.g. "Unauthorized"), or "". */
  public String reasonPhrase() {
    return reasonPhrase;
  }

  /** The start of the answer's body (e.g. the relay's "viewer token required"), or "". */
  public String body() {
    return body;
  }
}
