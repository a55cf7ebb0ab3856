package dev.camrelay.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code host:port} pair ({@code [v6]:port} for IPv6); a bare port means 127.0.0.1.
 *
 * @param host the host name or address
 * @param port 1..65535
 */
public record HostPort(String host, int port) {
  /** Parses "host:port", "[::1]:port" or "port". */
  public static HostPort parse(String value) {
    String v = value.trim();
    String host = "127.0.0.1";
    String port = v;
    int colon = v.lastIndexOf(':');
    if (colon >= 0) {
      host = v.substring(0, colon);
      port = v.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty()) {
        host = "127.0.0.1";
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not host:port (e.g. 127.0.0.1:3008)");
    }
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("'" + value + "': port must be 1..65535");
    }
    return new HostPort(host, p);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Picocli converter for {@link HostPort}. */
  public static final class Converter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
