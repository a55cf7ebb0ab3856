package dev.camrelay.cli.options;

import com.google.common.net.HostAndPort;
import dev.camrelay.cli.HostAndPortConverter;
import dev.camrelay.cli.simulate.SimulatedCamera;
import picocli.CommandLine.Option;

/** {@code --relay}/{@code --tcp HOST:PORT}: the relay's camera TCP ingest address, for a simulated camera. */
public final class RelayIngestAddress {
  @Option(names = {"--relay", "--tcp"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:3008",
      converter = HostAndPortConverter.class,
      description = "The relay's TCP ingest address (default: ${DEFAULT-VALUE}).")
  HostAndPort address;

  public HostAndPort address() {
    return address;
  }

  /** Points {@code camera} at this address. */
  public SimulatedCamera.Builder applyTo(SimulatedCamera.Builder camera) {
    return camera.relay(address.getHost(), address.getPort());
  }

  @Override
  public String toString() {
    return address.toString();
  }
}
