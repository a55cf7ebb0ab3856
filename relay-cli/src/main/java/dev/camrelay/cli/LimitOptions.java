package dev.camrelay.cli;

import dev.camrelay.relay.CameraRelay;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Connection limits, the viewer send buffer, fan-out threads and the timeouts; each unset one keeps the relay's
 * default.
 */
final class LimitOptions {
  @Option(names = "--max-connections", paramLabel = "N", description = "Most connections in total (relay default 2000).")
  Integer maxConnections;

  @Option(names = "--max-connections-per-ip", paramLabel = "N",
      description = "Most connections from one address (relay default 250).")
  Integer maxConnectionsPerIp;

  @Option(names = "--max-cameras", paramLabel = "N", description = "Most cameras at once (relay default 1024).")
  Integer maxCameras;

  @Option(names = "--viewer-send-buffer", paramLabel = "SIZE", converter = ByteSizeConverter.class,
      description = "Cap of each viewer's kernel send buffer, which starts at 32KiB and follows the viewer's measured"
          + " rate (~100 ms of it): small for a slow link, large for a fast or long one. 32KiB or less fixes it"
          + " (relay default 4MiB).")
  Integer viewerSendBuffer;

  @Option(names = "--fan-out-threads", paramLabel = "N",
      description = "Threads that help write a frame to a camera's viewers when it has 32 or more (relay default: one"
          + " per core besides the publishing thread; used while it measurably gets frames out sooner). 0: the"
          + " publishing thread writes to all, the least CPU per viewer.")
  Integer fanOutThreads;

  @Option(names = "--control-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a control command waits for the camera's reply (relay default 5s).")
  Duration controlTimeout;

  @Option(names = "--on-demand-linger", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Keep an on-demand camera streaming this long after its last viewer leaves (relay default 10s).")
  Duration onDemandLinger;

  @Option(names = "--handshake-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time a framed camera has to send HELLO (relay default 5s).")
  Duration handshakeTimeout;

  @Option(names = "--camera-idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Drop a camera silent this long (relay default 15s).")
  Duration cameraIdleTimeout;

  @Option(names = "--viewer-stall-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Disconnect a viewer that accepts no data this long (relay default 10s).")
  Duration viewerStallTimeout;

  /** Fails with a usage error for a number of fan-out threads the relay refuses (a negative one). */
  void check(CommandLine cl) {
    if (fanOutThreads == null) {
      return;
    }
    try {
      CameraRelay.builder().fanOutThreads(fanOutThreads);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, "--fan-out-threads " + fanOutThreads + ": must be 0 or more");
    }
  }

  void applyTo(CameraRelay.Builder relay) {
    ifSet(maxConnections, relay::maxConnections);
    ifSet(maxConnectionsPerIp, relay::maxConnectionsPerIp);
    ifSet(maxCameras, relay::maxCameras);
    ifSet(viewerSendBuffer, relay::viewerSendBufferBytes);
    ifSet(fanOutThreads, relay::fanOutThreads);
    ifSet(controlTimeout, relay::controlTimeout);
    ifSet(onDemandLinger, relay::onDemandLinger);
    ifSet(handshakeTimeout, relay::handshakeTimeout);
    ifSet(cameraIdleTimeout, relay::cameraIdleTimeout);
    ifSet(viewerStallTimeout, relay::viewerStallTimeout);
  }

  private static <T> void ifSet(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
