package dev.camrelay.cli;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The host names a user can type to reach a relay bound to an address. */
final class HostAddresses {
  private HostAddresses() {}

  /**
   * For a wildcard bind (0.0.0.0, ::, empty): "localhost" then this machine's LAN IPv4 addresses (interfaces that
   * are up, not loopback, not link-local). For a loopback bind: "localhost". Otherwise the bind address itself
   * (IPv6 in brackets, in its short form).
   */
  static List<String> forBind(String bind) {
    List<String> hosts = new ArrayList<>();
    if (isWildcard(bind)) {
      hosts.add("localhost");
      hosts.addAll(lanAddresses());
      return hosts;
    }
    InetAddress a = literal(bind);
    if (a == null) {
      try {
        a = InetAddress.getByName(bind);
      } catch (UnknownHostException e) {
        hosts.add(bind);
        return hosts;
      }
    }
    if (a.isLoopbackAddress()) {
      hosts.add("localhost");
    } else {
      hosts.add(a instanceof Inet6Address ? InetAddresses.toUriString(a) : bind);
    }
    return hosts;
  }

  /** Every interface: empty, "*", or any spelling of 0.0.0.0 or :: (also in brackets). */
  static boolean isWildcard(String bind) {
    if (bind == null || bind.isEmpty() || bind.equals("*")) {
      return true;
    }
    InetAddress a = literal(bind);
    return a != null && a.isAnyLocalAddress();
  }

  /** The address {@code bind} spells (IPv6 with or without brackets), or null for a host name; never asks DNS. */
  private static InetAddress literal(String bind) {
    String v = bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
    return InetAddresses.isInetAddress(v) ? InetAddresses.forString(v) : null;
  }

  /** This machine's name without its domain (for the mDNS name), or "this machine" when it has none. */
  static String machineName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | RuntimeException e) {
      name = System.getenv().getOrDefault("HOSTNAME", "");
    }
    int dot = name.indexOf('.');
    name = dot > 0 && !InetAddresses.isInetAddress(name) ? name.substring(0, dot) : name;
    return name.isBlank() ? "this machine" : name.length() > 40 ? name.substring(0, 40) : name;
  }

  /** This machine's LAN IPv4 addresses, sorted; empty if there are none or the interfaces cannot be read. */
  static List<String> lanAddresses() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            out.add(a.getHostAddress());
          }
        }
      }
    } catch (SocketException | RuntimeException e) {
      return List.of();
    }
    Collections.sort(out);
    return out;
  }
}
