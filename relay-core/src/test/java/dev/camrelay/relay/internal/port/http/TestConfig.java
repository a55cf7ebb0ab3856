package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.runtime.RelayConfig;

/** Test configs: the real Builder's defaults, on loopback, with only an ephemeral HTTP port. */
public final class TestConfig {
  private TestConfig() {}

  public static RelayConfig.Builder builder() {
    return RelayConfig.builder().bind("127.0.0.1").tcpPort(-1).wsPort(-1).httpPort(0);
  }
}
