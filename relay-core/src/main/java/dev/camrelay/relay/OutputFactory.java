package dev.camrelay.relay;

/**
 * Makes an output for each camera, for relay-wide outputs such as recorders and {@code onFrame} listeners; see
 * {@link CameraHub#attachOutputs}.
 */
@FunctionalInterface
public interface OutputFactory {
  /** The output for camera {@code cameraId}, or null to leave that camera alone. Must not block. */
  CameraOutput create(String cameraId);
}
