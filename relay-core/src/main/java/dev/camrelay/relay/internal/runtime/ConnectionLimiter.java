package dev.camrelay.relay.internal.runtime;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Caps open connections in total and per remote IP address. Thread-safe; acquire and release in pairs. */
public final class ConnectionLimiter {
  private final int max;
  private final int maxPerIp;
  private final Map<InetAddress, Integer> perIp = new HashMap<>();
  private int total;

  public ConnectionLimiter(int max, int maxPerIp) {
    this.max = max;
    this.maxPerIp = maxPerIp;
  }

  /** Returns null if a connection from {@code ip} may open (and counts it), else why not. */
  public synchronized String tryAcquire(InetAddress ip) {
    if (total >= max) {
      return "relay has " + total + " connections (limit " + max + ")";
    }
    int n = perIp.getOrDefault(ip, 0);
    if (n >= maxPerIp) {
      return Addresses.ip(ip) + " has " + n + " connections (limit " + maxPerIp + " per address)";
    }
    perIp.put(ip, n + 1);
    total++;
    return null;
  }

  public synchronized void release(InetAddress ip) {
    Integer n = perIp.get(ip);
    if (n == null) {
      return;
    }
    if (n <= 1) {
      perIp.remove(ip);
    } else {
      perIp.put(ip, n - 1);
    }
    total--;
  }

  public synchronized int total() {
    return total;
  }
}
