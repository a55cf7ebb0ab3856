package dev.camrelay.esp32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.camrelay.relay.CameraRelay;
import java.awt.Color;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host camera started without a relay host finds the relay by mDNS, end to end: a real {@link CameraRelay}
 * advertising {@code _camrelay._tcp} (jmdns), the host camera browsing with Avahi's embeddable stack and choosing
 * with the firmware's own RelayLocator/chooseRelay.
 *
 * <p>Multicast needs a link that has it: Linux's loopback has no MULTICAST flag, so the relay binds the first up,
 * non-loopback IPv4 interface with multicast (eth0 on most machines and containers). Checked at runtime, before
 * each test: such an interface exists and a jmdns responder on it is resolved by a jmdns browser on it; otherwise
 * the tests are skipped, saying which check failed. The relay's instance name starts with "0" so that the camera,
 * which takes the smallest name when several relays answer, prefers it to any other relay on this LAN.
 */
class HostCameraFindsRelayByMdnsTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);  // only to avoid hanging, never a measurement
  private static final String CAMERA = "mdnscam";
  private static final String TOKEN = "tok-md5-found";
  private static Path frameDir;
  private static List<byte[]> jpegs;
  private static InetAddress link;
  private static String skipReason;  // null when multicast works on the link

  @TempDir
  static Path keys;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeAll
  static void checkMulticastAndBuildHostCamera() throws Exception {
    link = multicastInterfaceAddress();
    if (link == null) {
      skipReason = "no up, non-loopback IPv4 interface with multicast here (loopback has no MULTICAST flag)";
      return;
    }
    if (!jmdnsResolvesItselfOn(link)) {
      skipReason = "a jmdns browser on " + link.getHostAddress() + " did not resolve a jmdns responder on the same "
          + "address within 15 s: multicast does not work on this link";
      return;
    }
    HostCamera.build();
    frameDir = Path.of("target", "host-cam-mdns-frames").toAbsolutePath();
    jpegs = HostCamera.writeJpegs(frameDir, Color.CYAN, Color.PINK, Color.DARK_GRAY);
  }

  @BeforeEach
  void needsMulticast() {
    // Per test rather than in @BeforeAll, so each skipped test is reported with the reason.
    assumeTrue(skipReason == null, "mDNS end to end skipped: " + skipReason);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private CameraRelay relay(String name, RelayKeystore tls) throws Exception {
    CameraRelay.Builder builder = CameraRelay.builder().bind(link.getHostAddress()).tcpPort(0).wsPort(0).httpPort(0)
        .cameraToken(CAMERA, TOKEN).mdns(name);
    if (tls != null) {
      builder.tls(tls.path(), tls.password()).requireCameraTls(true);
    }
    CameraRelay relay = builder.build();
    relay.start();
    cleanup.add(relay);
    return relay;
  }

  private HostCamera cameraWithoutHost(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--id", CAMERA, "--token", TOKEN, "--dir", frameDir.toString(),
        "--fps", "10"));
    args.addAll(List.of(extra));
    HostCamera camera = HostCamera.start(args.toArray(String[]::new));
    cleanup.add(camera);
    return camera;
  }

  private static String relayName() {
    return "0 host-cam test " + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aCameraWithoutAHostFindsThePlainRelayByMdnsAndAViewerGetsItsFrames() throws Exception {
    CameraRelay relay = relay(relayName(), null);
    HostCamera camera = cameraWithoutHost();
    String found = camera.awaitLine(l -> l.startsWith("mdns: found the relay at "), GENEROUS);
    assertThat(found).as("found this test's relay, not another one on the LAN")
        .startsWith("mdns: found the relay at " + link.getHostAddress() + ":" + relay.tcpPort() + " (plain TCP)");
    camera.awaitLine(l -> l.contains("relay: welcome (protocol v1, streaming"), GENEROUS);

    Viewer viewer = new Viewer(URI.create("ws://" + link.getHostAddress() + ":" + relay.wsPort() + "/cam/" + CAMERA));
    assertThat(viewer.connectBlocking(GENEROUS.toSeconds(), TimeUnit.SECONDS)).as("viewer connected").isTrue();
    cleanup.add(viewer::closeBlocking);
    byte[] frame = viewer.frames.poll(GENEROUS.toSeconds(), TimeUnit.SECONDS);
    assertThat(frame).as("a frame reached the viewer").isNotNull();
    assertThat(jpegs).as("the frame is one of the camera's files, byte for byte")
        .anyMatch(jpeg -> Arrays.equals(jpeg, frame));
    assertThat(camera.output()).doesNotContain(TOKEN);
  }

  @Test
  void aCameraWithoutAPinnedCertificateRefusesARelayThatAdvertisesTls() throws Exception {
    String name = relayName();
    CameraRelay relay = relay(name, RelayKeystore.create(keys.resolve("refused.p12")));
    HostCamera camera = cameraWithoutHost();
    // The first browse may come before the relay's advertisement (jmdns probes for about a second): wait for a
    // browse that saw it, or that found some other usable relay.
    String verdict = camera.awaitLine(
        l -> l.startsWith("mdns: found the relay at ") || l.startsWith("mdns: relay '" + name + "'"), GENEROUS);
    assumeTrue(!verdict.startsWith("mdns: found the relay at "),
        "another relay advertising _camrelay._tcp on this LAN was usable, so the refusal cannot be seen: " + verdict);
    assertThat(verdict).startsWith("mdns: relay '" + name + "' wants TLS: set its certificate fingerprint");
    assertThat(camera.output()).doesNotContain("relay: welcome").doesNotContain(TOKEN);
    assertThat(relay.cameras()).noneMatch(c -> c.id().equals(CAMERA) && c.connected());
  }

  @Test
  void aCameraWithThePinnedCertificateFindsTheTlsRelayByMdnsAndStreams() throws Exception {
    RelayKeystore keystore = RelayKeystore.create(keys.resolve("pinned.p12"));
    CameraRelay relay = relay(relayName(), keystore);
    HostCamera camera = cameraWithoutHost("--tls-fingerprint", keystore.fingerprint());
    String found = camera.awaitLine(l -> l.startsWith("mdns: found the relay at "), GENEROUS);
    assertThat(found).startsWith("mdns: found the relay at " + link.getHostAddress() + ":" + relay.tcpPort() + " (TLS)");
    camera.awaitLine(l -> l.contains("relay: welcome (protocol v1, streaming"), GENEROUS);
    assertThat(camera.output()).doesNotContain(TOKEN);
  }

  private static InetAddress multicastInterfaceAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback() && nic.supportsMulticast() && !nic.isPointToPoint()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    return null;
  }

  /** A jmdns responder and a jmdns browser on the same address: multicast works there when one resolves the other. */
  private static boolean jmdnsResolvesItselfOn(InetAddress address) throws Exception {
    String type = "_camrelay-probe._tcp.local.";
    String name = "probe " + UUID.randomUUID().toString().substring(0, 8);
    try (JmDNS responder = JmDNS.create(address, "camrelay-probe-responder");
        JmDNS browser = JmDNS.create(address, "camrelay-probe-browser")) {
      responder.registerService(ServiceInfo.create(type, name, 9, 0, 0, Map.of("probe", "1")));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        ServiceInfo info = browser.getServiceInfo(type, name, 1000);
        if (info != null && info.getPort() == 9) {
          return true;
        }
      }
      return false;
    }
  }
}
