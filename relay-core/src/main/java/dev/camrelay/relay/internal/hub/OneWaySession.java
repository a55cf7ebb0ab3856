package dev.camrelay.relay.internal.hub;

/**
 * A session that only sends frames: raw JPEG streams, HTTP pulls and in-process publishing. It takes no commands
 * and is never on-demand.
 */
public abstract class OneWaySession implements CameraSession {

  @Override
  public final boolean controlSupported() {
    return false;
  }

  @Override
  public final boolean onDemand() {
    return false;
  }

  @Override
  public final void sendControl(long requestId, String json) {
    throw new UnsupportedOperationException("a " + ingest() + " source takes no commands");
  }
}
