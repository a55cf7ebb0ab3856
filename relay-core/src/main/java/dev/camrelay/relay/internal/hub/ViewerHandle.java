package dev.camrelay.relay.internal.hub;

/** A viewer's registration with a {@link Camera}; {@link #close()} detaches it (idempotent, any thread). */
public interface ViewerHandle extends AutoCloseable {
  String cameraId();

  @Override
  void close();
}
