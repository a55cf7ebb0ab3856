package dev.camrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatsServersTest {
  @Test
  void aClusterRoutesMessagesAndCountsThemAndAKilledServerComesBackOnItsPorts() throws Exception {
    try (NatsServers nats = NatsServers.cluster(3)) {
      try (Connection a = Nats.connect(nats.url(0).toString());
          Connection b = Nats.connect(nats.url(2).toString())) {
        var sub = b.subscribe("t.x");
        b.flush(Duration.ofSeconds(5));
        awaitTrue(() -> nats.clientSubscriptions(2, "t.").contains("t.x"));
        long before = nats.inMsgs(0);
        // The interest crosses the route asynchronously: publish until it arrives.
        var msg = (io.nats.client.Message) null;
        for (int i = 0; i < 100 && msg == null; i++) {
          a.publish("t.x", new byte[] {1, 2, 3});
          msg = sub.nextMessage(Duration.ofMillis(100));
        }
        assertThat(msg).isNotNull();
        assertThat(msg.getData()).containsExactly(1, 2, 3);
        assertThat(nats.inMsgs(0)).isGreaterThan(before);
      }
      nats.kill(1);
      assertThat(nats.running(1)).isFalse();
      nats.restart(1);
      try (Connection c = Nats.connect(Options.builder().server(nats.url(1).toString()).build())) {
        assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      }
    }
  }

  @Test
  void aSingleServerTakesAMaxPayload() throws Exception {
    try (NatsServers nats = NatsServers.single(4096);
        Connection c = Nats.connect(nats.url(0).toString())) {
      assertThat(c.getServerInfo().getMaxPayload()).isEqualTo(4096);
      assertThat(nats.connections(0)).isEqualTo(1);
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
