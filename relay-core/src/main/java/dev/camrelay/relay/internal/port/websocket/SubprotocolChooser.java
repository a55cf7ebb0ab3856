package dev.camrelay.relay.internal.port.websocket;

import dev.camrelay.relay.internal.auth.Tokens;
import org.java_websocket.protocols.IProtocol;

/**
 * Accepts any offer of subprotocols and selects {@code camrelay.v1} when offered, else the first
 * {@code bearer.<token>} offered (browsers require the server to select one of the offered protocols, and a token
 * is all a browser can send), else none. With seed compatibility, a seed client's {@code ipcam_…}/{@code mon_…}
 * offer comes first ({@link SeedClients}). Whether the connection is allowed is decided after, from
 * the token. One instance per connection (the library copies drafts per connection).
 */
final class SubprotocolChooser implements IProtocol {
  static final String V1 = "camrelay.v1";
  static final String BEARER_PREFIX = Tokens.BEARER_SUBPROTOCOL;

  private final boolean seed;
  private String chosen = "";

  SubprotocolChooser(boolean seed) {
    this.seed = seed;
  }

  @Override
  public boolean acceptProvidedProtocol(String header) {
    SeedClients.Offer offer = seed ? SeedClients.offer(header) : null;
    chosen = offer != null ? offer.subprotocol() : choose(header);
    return true;
  }

  static String choose(String header) {
    if (header == null || header.isBlank()) {
      return "";
    }
    for (String p : header.split(",")) {
      if (p.trim().equals(V1)) {
        return V1;
      }
    }
    String token = Tokens.bearerSubprotocol(header); // the one place that reads a bearer.<token> offer
    return token == null ? "" : BEARER_PREFIX + token;
  }

  @Override
  public String getProvidedProtocol() {
    return chosen;
  }

  @Override
  public IProtocol copyInstance() {
    return new SubprotocolChooser(seed);
  }

  @Override
  public String toString() {
    // Never the bearer token itself: the library logs drafts at trace level.
    if (chosen.startsWith(BEARER_PREFIX)) {
      return "bearer.<token>";
    }
    SeedClients.Offer offer = seed ? SeedClients.offer(chosen) : null;
    return offer != null ? offer.toString() : chosen;
  }
}
