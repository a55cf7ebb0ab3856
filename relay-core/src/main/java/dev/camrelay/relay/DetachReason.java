package dev.camrelay.relay;

/** Why the relay detached a source or an output. Sources and outputs that detach themselves are not told. */
public enum DetachReason {
  /** A newer source attached with the same camera id (sources only). */
  REPLACED,
  /** The relay is closing. */
  SHUTTING_DOWN,
  /** The output made no progress on a frame within the relay's stall timeout (outputs only). */
  STALLED,
  /** The source or output threw from a callback; it is detached so it cannot hurt the others. */
  FAILED,
  /**
   * The relay was full and a verified source (one that proved its token) needed the room: the unverified camera
   * connected longest ago is let go (sources only).
   */
  EVICTED,
  /**
   * The operator changed or removed the camera's token or configuration while it was connected (the admin API or a
   * config reload): the camera must connect again with what is now required (sources only).
   */
  REVOKED,
  /**
   * The camera is now connected to another relay node of a cluster: relay-wide outputs that serve only this node's
   * cameras ({@link OutputFactory#remoteCameras()} false) leave it (outputs only).
   */
  MOVED
}
