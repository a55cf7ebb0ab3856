package dev.camrelay.relay.internal.port.mdns;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advertises the relay on the LAN by mDNS / DNS-SD (jmdns), so cameras without a configured host find it
 * (esp32-arduino/camrelay_cam/src/camrelay/mdns.h is the camera's side):
 *
 * <pre>
 * service  _camrelay._tcp.local.   instance: the configured name   SRV port: the camera (TCP ingest) port
 * TXT      port=3008  tls=0|1  http=3010  ws=3009  version=0.1.0  id=&lt;name&gt;
 * </pre>
 *
 * {@code tls=1} when the camera port takes TLS (a keystore is configured). Advertised on the bind address, or for a
 * wildcard bind on every up, non-loopback IPv4 interface with multicast; jmdns probes, answers queries and says
 * goodbye on close. Registration runs on a thread of its own (jmdns waits for its probes, about a second), so the
 * relay's start is not delayed; a failure is one log line. Limits: IPv4 only; mDNS answers are unauthenticated
 * (cameras pin the relay's certificate when it matters); nothing leaves the local link.
 */
public final class MdnsAdvertiser implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MdnsAdvertiser.class);
  public static final String SERVICE_TYPE = "_camrelay._tcp.local.";

  private final ServiceInfo service;
  private final List<JmDNS> responders = new CopyOnWriteArrayList<>();
  private final Thread registering;
  private volatile boolean closed;

  private MdnsAdvertiser(ServiceInfo service, List<InetAddress> addresses) {
    this.service = service;
    this.registering = new Thread(() -> register(addresses), "camrelay-mdns");
    registering.setDaemon(true);
  }

  /** What the relay advertises: SRV port = {@code tcpPort}, TXT as in the class comment. */
  public static ServiceInfo serviceInfo(String name, int tcpPort, int httpPort, int wsPort, boolean tls,
      String version) {
    Map<String, String> txt = new LinkedHashMap<>();
    txt.put("port", Integer.toString(tcpPort));
    txt.put("tls", tls ? "1" : "0");
    txt.put("http", Integer.toString(httpPort));
    txt.put("ws", Integer.toString(wsPort));
    txt.put("version", version);
    txt.put("id", name);
    return ServiceInfo.create(SERVICE_TYPE, name, tcpPort, 0, 0, txt);
  }

  /**
   * Starts advertising {@code service} on the interfaces {@code bindHost} stands for; returns at once. Null when there
   * is no interface to advertise on (said in the log).
   */
  public static MdnsAdvertiser start(String bindHost, ServiceInfo service) {
    List<InetAddress> addresses = addressesFor(bindHost);
    if (addresses.isEmpty()) {
      log.warn("mDNS: not advertising '{}': no up, non-loopback IPv4 interface with multicast for bind address {}",
          service.getName(), bindHost);
      return null;
    }
    MdnsAdvertiser advertiser = new MdnsAdvertiser(service, addresses);
    advertiser.registering.start();
    return advertiser;
  }

  /** The addresses to answer on: the bind address itself, or for a wildcard every multicast IPv4 interface's. */
  static List<InetAddress> addressesFor(String bindHost) {
    try {
      InetAddress bind = InetAddresses.isInetAddress(bindHost) ? InetAddresses.forString(bindHost)
          : InetAddress.getByName(bindHost);
      if (!bind.isAnyLocalAddress()) {
        return List.of(bind);
      }
      List<InetAddress> out = new ArrayList<>();
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback() && nic.supportsMulticast() && !nic.isPointToPoint()) {
          for (InetAddress a : Collections.list(nic.getInetAddresses())) {
            if (a instanceof Inet4Address) {
              out.add(a);
            }
          }
        }
      }
      return out;
    } catch (IOException e) {
      log.warn("mDNS: cannot list the network interfaces: {}", e.toString());
      return List.of();
    }
  }

  private void register(List<InetAddress> addresses) {
    List<String> done = new ArrayList<>();
    for (InetAddress address : addresses) {
      if (closed) {
        return;
      }
      try {
        JmDNS jmdns = JmDNS.create(address, null);
        responders.add(jmdns);
        jmdns.registerService(service.clone());
        done.add(address.getHostAddress());
      } catch (IOException | RuntimeException e) {
        log.warn("mDNS: cannot advertise on {}: {}", address.getHostAddress(), e.toString());
      }
    }
    if (!done.isEmpty()) {
      log.info("mDNS: advertising '{}' as {} on {} (camera port {}, TLS {})", service.getName(), SERVICE_TYPE,
          String.join(", ", done), service.getPort(), "1".equals(service.getPropertyString("tls")) ? "yes" : "no");
    }
  }

  /** Says goodbye on every interface and stops jmdns's threads; waits at most about a second. */
  @Override
  public void close() {
    closed = true;
    Thread closing = new Thread(() -> {
      try {
        registering.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (JmDNS jmdns : responders) {
        try {
          jmdns.unregisterAllServices();
          jmdns.close();
        } catch (IOException | RuntimeException e) {
          log.debug("mDNS: closing: {}", e.toString());
        }
      }
    }, "camrelay-mdns-close");
    closing.setDaemon(true);
    closing.start();
    try {
      closing.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
