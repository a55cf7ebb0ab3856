package dev.camrelay.relay.internal.runtime;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * How the relay writes a client's address in logs and messages, the one place for it: {@code 127.0.0.1:44600} and
 * {@code [::1]:32962} (RFC 5952 short form, brackets around IPv6 with a port) — not Java's {@code /127.0.0.1:44600}
 * or {@code /[0:0:0:0:0:0:0:1]:32962}.
 */
public final class Addresses {
  private Addresses() {}

  /** {@code 127.0.0.1:44600}, {@code [::1]:32962}; an address that is not IP as Java writes it. */
  public static String of(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return HostAndPort.fromParts(ip(inet.getAddress()), inet.getPort()).toString();
    }
    return String.valueOf(address);
  }

  /** {@code 127.0.0.1}, {@code ::1}. */
  public static String ip(InetAddress address) {
    return InetAddresses.toAddrString(address);
  }

  /** The IP of {@code address} ({@link #ip}), or the whole address as Java writes it when it is not IP. */
  public static String ipOf(SocketAddress address) {
    return address instanceof InetSocketAddress inet && inet.getAddress() != null
        ? ip(inet.getAddress()) : String.valueOf(address);
  }
}
