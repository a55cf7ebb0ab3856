package dev.camrelay.cli;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a relay address: {@code host:port}, {@code [v6]:port} for IPv6, or a bare {@code port} (or {@code :port})
 * meaning 127.0.0.1; the port must be 1..65535. Parsing is Guava's {@link HostAndPort}, so an IPv6 address without
 * brackets is refused rather than guessed at.
 */
public final class HostAndPortConverter implements ITypeConverter<HostAndPort> {
  private static final String LOOPBACK = "127.0.0.1";

  @Override
  public HostAndPort convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /**
   * Parses "host:port", "[::1]:port", ":port" or "port".
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static HostAndPort parse(String value) {
    String v = value.trim();
    if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
      v = ":" + v;
    }
    HostAndPort parsed;
    try {
      parsed = HostAndPort.fromString(v);
    } catch (IllegalArgumentException e) {
      throw notHostPort(value);
    }
    if (!parsed.hasPort()) {
      throw parsed.getHost().indexOf(':') >= 0 && InetAddresses.isInetAddress(parsed.getHost())
          ? new IllegalArgumentException("'" + value + "': put an IPv6 address in brackets, e.g. [::1]:3008")
          : notHostPort(value);
    }
    if (parsed.getPort() < 1) {
      throw new IllegalArgumentException("'" + value + "': port must be 1..65535");
    }
    if (v.startsWith("[") && !InetAddresses.isInetAddress(parsed.getHost())) {
      throw new IllegalArgumentException("'" + value + "': only an IP address goes in brackets, e.g. [::1]:3008");
    }
    return parsed.getHost().isEmpty() ? HostAndPort.fromParts(LOOPBACK, parsed.getPort()) : parsed;
  }

  private static IllegalArgumentException notHostPort(String value) {
    return new IllegalArgumentException(
        "'" + value + "' is not host:port with a port 1..65535 (e.g. 127.0.0.1:3008, [::1]:3008 or 3008)");
  }
}
