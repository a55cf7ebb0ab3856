package dev.camrelay.relay;

/**
 * A control command on its way to a camera's source. Answer it exactly once with {@link #reply} or {@link #fail},
 * from any thread; a request not answered within the relay's control timeout fails for the asker with
 * {@link ControlException.Kind#TIMEOUT}, and later answers are ignored.
 */
public interface ControlRequest {
  /**
   * The relay's number for this request, unique among this camera's unanswered requests and below 2^32 (so it fits
   * the framed protocol's CONTROL request id). Transports whose replies carry the id answer through
   * {@link SourceHandle#reply(long, String)}.
   */
  long id();

  /** The command, a JSON object such as {@code {"cmd":"quality","value":12}}, as the asker sent it. */
  String json();

  /**
   * Answers with the camera's reply, a JSON object such as {@code {"ok":true}} or {@code {"ok":false,"error":"..."}}.
   *
   * @return false if the request was already answered, failed or timed out
   */
  boolean reply(String json);

  /**
   * Fails the request; the asker gets a {@link ControlException} with this message.
   *
   * @return false if the request was already answered, failed or timed out
   */
  boolean fail(String message);
}
