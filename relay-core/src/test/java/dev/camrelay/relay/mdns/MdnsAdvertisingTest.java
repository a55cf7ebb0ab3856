package dev.camrelay.relay.mdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.internal.port.mdns.MdnsAdvertiser;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.junit.jupiter.api.Test;

/**
 * The relay advertises {@code _camrelay._tcp} by mDNS when asked: a jmdns browser on the same link finds it with the
 * camera port and TXT the firmware reads. Multicast needs an interface that has it: loopback has no MULTICAST flag on
 * Linux, so the browse test runs on the first up, non-loopback IPv4 interface with multicast, and is skipped (saying
 * so) on a machine without one.
 */
class MdnsAdvertisingTest {

  @Test
  void theServiceInfoCarriesTheCameraPortAndTheTxtTheFirmwareReads() {
    ServiceInfo info = MdnsAdvertiser.serviceInfo("camrelay on nas", 3008, 3010, 3009, true, "1.2.3");
    assertThat(info.getType()).isEqualTo("_camrelay._tcp.local.");
    assertThat(info.getName()).isEqualTo("camrelay on nas");
    assertThat(info.getPort()).isEqualTo(3008);
    assertThat(info.getPropertyString("port")).isEqualTo("3008");
    assertThat(info.getPropertyString("tls")).isEqualTo("1");
    assertThat(info.getPropertyString("http")).isEqualTo("3010");
    assertThat(info.getPropertyString("ws")).isEqualTo("3009");
    assertThat(info.getPropertyString("version")).isEqualTo("1.2.3");
    assertThat(info.getPropertyString("id")).isEqualTo("camrelay on nas");
    assertThat(MdnsAdvertiser.serviceInfo("r", 3008, 3010, -1, false, "v").getPropertyString("tls")).isEqualTo("0");
  }

  @Test
  void aBrowserOnTheLinkFindsTheRelayWithItsPortsAndTls() throws Exception {
    Optional<InetAddress> link = multicastAddress();
    assumeTrue(link.isPresent(), "no up, non-loopback IPv4 interface with multicast here: mDNS cannot be browsed");
    String name = "camrelay test " + UUID.randomUUID().toString().substring(0, 8);
    BlockingQueue<ServiceInfo> resolved = new LinkedBlockingQueue<>();
    try (CameraRelay relay = CameraRelay.builder().bind(link.get().getHostAddress()).tcpPort(0).wsPort(0).httpPort(0)
        .mdns(name).build();
        JmDNS browser = JmDNS.create(link.get(), "camrelay-test-browser")) {
      browser.addServiceListener(MdnsAdvertiser.SERVICE_TYPE, new ServiceListener() {
        @Override
        public void serviceAdded(ServiceEvent event) {
          browser.requestServiceInfo(event.getType(), event.getName(), 1000);
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {}

        @Override
        public void serviceResolved(ServiceEvent event) {
          resolved.add(event.getInfo());
        }
      });
      relay.start();
      ServiceInfo found = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (found == null && System.nanoTime() < deadline) {
        ServiceInfo info = resolved.poll(1, TimeUnit.SECONDS);
        if (info != null && info.getName().equals(name) && info.getPropertyString("port") != null) {
          found = info;
        }
      }
      assertThat(found).as("the relay's service was resolved by a browser on " + link.get()).isNotNull();
      assertThat(found.getPort()).isEqualTo(relay.tcpPort());
      assertThat(found.getPropertyString("port")).isEqualTo(Integer.toString(relay.tcpPort()));
      assertThat(found.getPropertyString("http")).isEqualTo(Integer.toString(relay.httpPort()));
      assertThat(found.getPropertyString("ws")).isEqualTo(Integer.toString(relay.wsPort()));
      assertThat(found.getPropertyString("tls")).isEqualTo("0");
      assertThat(found.getPropertyString("id")).isEqualTo(name);
      assertThat(found.getInet4Addresses()).contains((Inet4Address) link.get());
    }
  }

  private static Optional<InetAddress> multicastAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback() && nic.supportsMulticast() && !nic.isPointToPoint()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return Optional.of(a);
          }
        }
      }
    }
    return Optional.empty();
  }
}
