package dev.camrelay.cli;

import dev.camrelay.relay.PortBindException;
import java.net.BindException;

/**
 * What the command says when the relay cannot bind a port: the relay's own words and the flag that changes that port,
 * e.g. {@code TCP ingest port 3008 is already in use (--tcp-port)}. The flag comes from
 * {@link PortBindException#setting()}, never from the relay's text; a plain {@link BindException} names all three.
 */
final class BindFailureMessage {
  private BindFailureMessage() {}

  static String of(BindException e, ListenOptions listen) {
    String words = e.getMessage() == null ? "cannot listen" : e.getMessage();
    if (e instanceof PortBindException p) {
      return words + " (" + ListenOptions.flagOf(p.setting()) + ")";
    }
    return "cannot listen: " + words + " (one of ports " + listen.ports() + " is taken; change it with "
        + ListenOptions.TCP_PORT + ", " + ListenOptions.WS_PORT + " or " + ListenOptions.HTTP_PORT + ")";
  }
}
