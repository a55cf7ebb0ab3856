package dev.camrelay.relay;

/**
 * Makes an output for each camera, for relay-wide outputs such as recorders and {@code onFrame} listeners; see
 * {@link CameraHub#attachOutputs}.
 */
@FunctionalInterface
public interface OutputFactory {
  /** The output for camera {@code cameraId}, or null to leave that camera alone. Must not block. */
  CameraOutput create(String cameraId);

  /**
   * Whether to make outputs for cameras this relay brings from another relay node of a cluster (a source whose
   * {@link SourceInfo#node()} is set) too. False by default: each node serves the relay-wide outputs (recording,
   * clips, frame listeners) of the cameras connected to it, so a cluster records each camera once, on its own node,
   * and no camera crosses the bus for them. A camera that moves between nodes is followed: its outputs here leave it
   * when a remote source replaces a local one and come back when a local source returns.
   */
  default boolean remoteCameras() {
    return false;
  }
}
