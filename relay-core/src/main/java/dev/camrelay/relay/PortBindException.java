package dev.camrelay.relay;

import java.net.BindException;
import java.util.Objects;

/**
 * A port of the relay could not be bound. The message says which port and why, in words for a person, e.g.
 * {@code TCP ingest port 3008 is already in use}; {@link #setting()} names the {@link CameraRelay.Builder} setting
 * that chose the port, so a front end (the CLI, a config file) can name its own option for it.
 */
public final class PortBindException extends BindException {
  private static final long serialVersionUID = 1L;

  /** Which {@link CameraRelay.Builder} setting chose the port that could not be bound. */
  public enum Setting { TCP_PORT, WS_PORT, HTTP_PORT, RTSP_PORT }

  private final Setting setting;
  private final int port;

  public PortBindException(Setting setting, int port, String message, Throwable cause) {
    super(message);
    this.setting = Objects.requireNonNull(setting, "setting");
    this.port = port;
    initCause(cause);
  }

  /** The Builder setting ({@code tcpPort}, {@code wsPort} or {@code httpPort}) that chose the port. */
  public Setting setting() {
    return setting;
  }

  /** The port asked for (0 when any free port was asked for). */
  public int port() {
    return port;
  }
}
