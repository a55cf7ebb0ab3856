package dev.camrelay.relay.internal.hub;

/**
 * A connected source of frames for one camera id (a framed TCP session, a raw TCP stream, a WebSocket ingest
 * connection, an HTTP pull, in-process publishing). At most one is attached to a {@link Camera}; attaching a new one
 * {@linkplain #close closes} the old one with code 10 REPLACED.
 */
public interface CameraSession {
  /** {@code raw-tcp}, {@code raw-tcp-per-frame}, {@code framed}, {@code websocket}, {@code pull} or {@code java}. */
  String ingest();

  /** {@code ip:port} of the camera, or a description for in-process sources. */
  String remote();

  /** Whether {@link #sendControl} reaches something that answers. */
  boolean controlSupported();

  /** Whether the camera streams only when asked to ({@code {"cmd":"stream","on":true}}). */
  boolean onDemand();

  /**
   * Sends a command to the camera without blocking; the camera's answer comes back through
   * {@link Camera#controlReply}. Only called when {@link #controlSupported()}.
   */
  void sendControl(long requestId, String json);

  /**
   * Closes the session from the relay's side (e.g. code 10 REPLACED, 9 SHUTTING_DOWN), telling the camera why if
   * the transport can. The session may still call {@link Camera#disconnect} afterwards; a camera ignores sessions
   * that are no longer attached.
   */
  void close(int code, String reason);
}
