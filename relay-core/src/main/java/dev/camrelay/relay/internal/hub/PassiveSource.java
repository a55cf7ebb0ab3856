package dev.camrelay.relay.internal.hub;

/**
 * A source that cannot be talked back to: in-process publishing ({@code java}) or an HTTP pull ({@code pull}).
 * No control, never on-demand; closing it only detaches it.
 */
public final class PassiveSource extends OneWaySession {
  private final String ingest;
  private final String remote;

  public PassiveSource(String ingest, String remote) {
    this.ingest = ingest;
    this.remote = remote;
  }

  @Override
  public String ingest() {
    return ingest;
  }

  @Override
  public String remote() {
    return remote;
  }

  @Override
  public void close(int code, String reason) {}

  @Override
  public String toString() {
    return ingest + " " + remote;
  }
}
