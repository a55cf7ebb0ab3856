package dev.camrelay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.camrelay.cli.Cli;
import dev.camrelay.relay.CameraRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class BenchCommandTest {
  private static JsonObject json(Cli.Result r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(1); // --json prints exactly one line
    return JsonParser.parseString(lines[0]).getAsJsonObject();
  }

  @Test
  void shortRunAgainstARealRelayReportsSaneNumbers() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      JsonObject o = json(Cli.run("bench", "--tcp", "127.0.0.1:" + relay.tcpPort(), "--ws",
          "ws://127.0.0.1:" + relay.wsPort() + "/", "--mode", "stream", "--fps", "15", "--seconds", "2",
          "--viewers", "5", "--size", "320x240", "--pid", Long.toString(ProcessHandle.current().pid()), "--json"));
      assertThat(o.get("viewers_connected").getAsInt()).isEqualTo(5);
      assertThat(o.get("sent").getAsLong()).isPositive();
      assertThat(o.get("out_fps").getAsDouble()).isPositive();
      assertThat(o.get("delivered_fps_per_viewer").getAsDouble()).isPositive();
      assertThat(o.get("delivered").getAsDouble()).isBetween(0.0, 1.0);
      assertThat(o.get("corrupt").getAsLong()).isZero();
      assertThat(o.get("untagged").getAsLong()).isZero();
      JsonObject lat = o.getAsJsonObject("lat_ms");
      assertThat(lat.get("p50").getAsDouble()).isNotNegative()
          .isLessThanOrEqualTo(lat.get("p99").getAsDouble());
      assertThat(lat.get("p99").getAsDouble()).isLessThanOrEqualTo(lat.get("max").getAsDouble());
      assertThat(o.get("relay_cpu_s").isJsonNull()).isFalse();               // this JVM is the relay here
      assertThat(o.getAsJsonObject("relay_rss_mb").get("peak").getAsDouble()).isPositive();
      // bench.mjs field names are all present
      assertThat(o.keySet()).contains("mode", "fps", "seconds", "viewers", "slow", "sent", "sent_fps", "delivered",
          "delivered_fps_per_viewer", "lat_ms", "slow_fps_per_viewer", "slow_lat_ms", "corrupt", "untagged",
          "relay_cpu_s", "delivered_gb", "relay_cpu_s_per_gb", "relay_rss_mb");
    }
  }

  @Test
  void rtspViewersReceiveWholeFramesIdentifiedByContent() throws Exception {
    try (CameraRelay relay =
        CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(-1).httpPort(-1).rtspPort(0).build()) {
      relay.start();
      JsonObject o = json(Cli.run("bench", "--tcp", "127.0.0.1:" + relay.tcpPort(), "--rtsp",
          "rtsp://127.0.0.1:" + relay.rtspPort() + "/default", "--mode", "stream", "--fps", "15", "--seconds", "2",
          "--viewers", "3", "--size", "320x240", "--pid", Long.toString(ProcessHandle.current().pid()), "--json"));
      assertThat(o.get("viewer_protocol").getAsString()).isEqualTo("rtsp");
      assertThat(o.get("viewers_connected").getAsInt()).isEqualTo(3);
      assertThat(o.get("delivered_fps_per_viewer").getAsDouble()).isPositive();
      assertThat(o.get("untagged").getAsLong()).as("every frame matched a source frame").isZero();
      assertThat(o.get("bytes_delivered").getAsLong()).isPositive();
      assertThat(o.get("relay_cpu_us_per_frame").isJsonNull()).isFalse();
      JsonObject lat = o.getAsJsonObject("lat_ms");
      assertThat(lat.get("p50").getAsDouble()).isNotNegative().isLessThanOrEqualTo(lat.get("p99").getAsDouble());
      JsonObject last = o.getAsJsonObject("last_viewer_lat_ms");
      assertThat(last.get("p50").getAsDouble()).isNotNegative().isLessThanOrEqualTo(last.get("p99").getAsDouble());
    }
  }

  @Test
  void framedAndPerConnectionModesWithASlowViewer() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      for (String mode : new String[] {"framed", "conn"}) {
        JsonObject o = json(Cli.run("bench", "--tcp", "127.0.0.1:" + relay.tcpPort(), "--ws",
            "ws://127.0.0.1:" + relay.wsPort() + "/", "--mode", mode, "--fps", "10", "--seconds", "2",
            "--viewers", "3", "--slow", "1", "--size", "320x240", "--json"));
        assertThat(o.get("mode").getAsString()).isEqualTo(mode);
        assertThat(o.get("sent").getAsLong()).as(mode).isPositive();
        assertThat(o.get("delivered_fps_per_viewer").getAsDouble()).as(mode).isPositive();
        assertThat(o.get("corrupt").getAsLong()).as(mode).isZero();
        assertThat(o.get("slow").getAsInt()).isEqualTo(1);
      }
    }
  }

  @Test
  void probesAreReportedOnTheirOwnAndNotCountedAmongTheViewers() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      String cam = "ws://127.0.0.1:" + relay.wsPort() + "/cam/probed";
      JsonObject o = json(Cli.run("bench", "--tcp", "127.0.0.1:" + relay.tcpPort(), "--ws", cam, "--mode", "framed",
          "--camera-id", "probed", "--fps", "10", "--seconds", "2", "--viewers", "2", "--size", "160x120",
          "--probe", cam, "--probe", cam + "?probe=2", "--json"));
      assertThat(o.get("viewers_connected").getAsInt()).isEqualTo(2);
      assertThat(o.getAsJsonArray("probes")).hasSize(2);
      for (var p : o.getAsJsonArray("probes")) {
        JsonObject probe = p.getAsJsonObject();
        assertThat(probe.get("url").getAsString()).startsWith(cam);
        assertThat(probe.get("frames").getAsLong()).isPositive();
        assertThat(probe.get("corrupt").getAsLong()).isZero();
        assertThat(probe.getAsJsonObject("lat_ms").get("p50").getAsDouble()).isNotNegative();
      }
    }
  }

  @Test
  void aProbeThatIsNotAWebSocketUrlIsAUsageError() {
    Cli.Result r = Cli.run("bench", "--probe", "http://127.0.0.1:1/cam/x", "--seconds", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--probe must be a ws:// or wss:// URL with a host: http://127.0.0.1:1/cam/x");
  }

  @Test
  void humanReadableReportNamesEachMeasure() throws Exception {
    try (CameraRelay relay = CameraRelay.builder().bind("127.0.0.1").tcpPort(0).wsPort(0).httpPort(-1).build()) {
      relay.start();
      Cli.Result r = Cli.run("bench", "--tcp", "127.0.0.1:" + relay.tcpPort(), "--ws",
          "ws://127.0.0.1:" + relay.wsPort() + "/", "--fps", "10", "--seconds", "1", "--viewers", "2",
          "--size", "160x120");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("camera", "viewers", "2/2 connected", "latency", "p50", "p99", "integrity",
          "0 corrupt");
    }
  }

  @Test
  void unreachableViewersEndWithExit1() {
    Cli.Result r = Cli.run("bench", "--ws", "ws://127.0.0.1:1/", "--seconds", "1", "--viewers", "1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no viewer could connect");
  }
}
