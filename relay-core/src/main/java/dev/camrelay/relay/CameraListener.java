package dev.camrelay.relay;

/**
 * Told when a camera source attaches or detaches. Called on a relay-owned thread, in event order.
 *
 * <p>A connection that replaces another for the same camera id produces {@code onDisconnected(id, "replaced ...")}
 * followed by {@code onConnected}.
 */
public interface CameraListener {
  void onConnected(CameraStats camera);

  void onDisconnected(String cameraId, String reason);
}
