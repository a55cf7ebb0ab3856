package dev.camrelay.cli.options;

import com.google.common.net.HostAndPort;
import dev.camrelay.cli.HostAndPortConverter;
import dev.camrelay.cli.simulate.CameraTls;
import dev.camrelay.cli.simulate.SimulatedCamera;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --relay}/{@code --tcp HOST:PORT}: the relay's camera TCP ingest address, for a simulated camera. Takes the
 * forms the relay's banner prints too: {@code tcp://HOST:PORT}, and {@code tls://HOST:PORT}, which connects with TLS
 * (a certificate the JVM trusts, unless the command has its own trust options).
 */
public final class RelayIngestAddress {
  HostAndPort address;
  private boolean tls;

  @Option(names = {"--relay", "--tcp"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:3008",
      converter = Converter.class,
      description = "The relay's TCP ingest address; tls://HOST:PORT connects with TLS;%ndefault ${DEFAULT-VALUE}.")
  void address(Address given) {
    this.address = given.hostAndPort();
    this.tls = given.tls();
  }

  /** A parsed address: where, and whether it was given as {@code tls://}. */
  record Address(HostAndPort hostAndPort, boolean tls) {
    @Override
    public String toString() {
      return (tls ? "tls://" : "") + hostAndPort;
    }
  }

  /** Reads {@code [tcp://|tls://]HOST:PORT}. */
  static final class Converter implements ITypeConverter<Address> {
    @Override
    public Address convert(String value) {
      String v = value.trim();
      String lower = v.toLowerCase(Locale.ROOT);
      boolean tls = lower.startsWith("tls://");
      if (tls || lower.startsWith("tcp://")) {
        v = v.substring("tcp://".length());
      }
      try {
        return new Address(HostAndPortConverter.parse(v), tls);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  public HostAndPort address() {
    return address;
  }

  /** Whether the address was given as {@code tls://HOST:PORT}. */
  public boolean tls() {
    return tls;
  }

  /** Points {@code camera} at this address (with TLS trusting the JVM's CAs for a {@code tls://} address). */
  public SimulatedCamera.Builder applyTo(SimulatedCamera.Builder camera) {
    return camera.relay(address.getHost(), address.getPort()).tls(tls ? CameraTls.verified() : null);
  }

  @Override
  public String toString() {
    return new Address(address, tls).toString();
  }
}
