package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.testing.Await;
import dev.camrelay.relay.testing.TestJpegs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The web page of one node lists every node's cameras with the node each is on (headless Chromium). */
class ViewerPageTest {
  @Test
  void thePageOfOneNodeListsEachCameraWithTheNodeItIsConnectedTo() throws Exception {
    try (NatsServers nats = NatsServers.single(); RelayNodes nodes = new RelayNodes(nats, 2)) {
      nodes.relay(0).publish("attic", TestJpegs.frame(1));
      nodes.relay(1).publish("cellar", TestJpegs.frame(2));
      Await.until("node 1 shows attic", () -> nodes.connectedFrom(1, "attic", "n0"));
      String dom = dumpDom("http://127.0.0.1:" + nodes.relay(1).httpPort() + "/");
      assertThat(dom).contains("data-camera=\"attic\"").contains("data-camera=\"cellar\"");
      assertThat(dom).contains("on n0").contains("on n1");
    }
  }

  /** The page's DOM after its scripts ran for a few seconds of virtual time. */
  private static String dumpDom(String url) throws Exception {
    Path profile = Files.createTempDirectory("chromium");
    Path out = profile.resolve("dom.html");
    Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url)
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }
}
