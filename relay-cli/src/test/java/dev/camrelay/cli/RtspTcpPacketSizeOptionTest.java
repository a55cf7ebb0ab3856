package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --rtsp-tcp-packet-size} caps RTP payloads over interleaved TCP; the packets are tested in relay-core. */
@Timeout(60)
class RtspTcpPacketSizeOptionTest {
  private static final String[] RELAY = {"--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
      "--http-port", "0", "--no-mdns"};

  private static String configOf(String... extra) throws Exception {
    String[] args = Stream.concat(Arrays.stream(RELAY), Arrays.stream(extra)).toArray(String[]::new);
    try (Cli.Running relay = Cli.start(Map.of(), args)) {
      return relay.relay().toString();
    }
  }

  @Test
  void theDefaultIsTheLargestInterleavedPayloadAndTheOptionLowersIt() throws Exception {
    assertThat(configOf()).contains("rtspTcpPacketBytes=65523");
    assertThat(configOf("--rtsp-tcp-packet-size", "1400")).contains("rtspTcpPacketBytes=1400");
  }

  @Test
  void aSizeBelow512OrAboveTheInterleavedMaximumIsAUsageError() {
    for (String size : new String[] {"511", "65524"}) {
      Cli.Result r = Cli.run("--rtsp-tcp-packet-size", size);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("--rtsp-tcp-packet-size " + size + ": must be 512..65523");
    }
  }
}
