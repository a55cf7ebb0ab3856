package dev.camrelay.relay.seam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.testing.Await;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/** What the contract tests share: one relay per test on 127.0.0.1, and everything a test opened closed after it. */
abstract class ContractFixture {
  static final String CAMERA = "cam";
  /** Waiting for something that should happen: generous, so a loaded 2-core machine does not fail the test. */
  static final Duration WAIT = Duration.ofSeconds(20);

  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
  CameraRelay relay;

  /** Starts the test's relay (ephemeral ports) from {@code builder}. */
  CameraRelay start(CameraRelay.Builder builder) throws Exception {
    relay = builder.bind("127.0.0.1").onDemandLinger(Duration.ofMillis(200)).build();
    relay.start();
    return relay;
  }

  /** Closes {@code c} after the test (before the relay), unless the test did. */
  <T extends AutoCloseable> T closeLater(T c) {
    cleanup.push(c);
    return c;
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Await.until(what, () -> condition.getAsBoolean() || System.nanoTime() > deadline);
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  @AfterEach
  void closeEverything() {
    while (!cleanup.isEmpty()) {
      try {
        cleanup.pop().close();
      } catch (Exception e) {
        // already closed by the test or the relay
      }
    }
    if (relay != null) {
      relay.close();
    }
  }
}
