package dev.camrelay.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --viewer-token} as a client presents it (a load generator): one token. The relay's own {@code --viewer-token}
 * (in {@code dev.camrelay.cli.AccessOptions}) also takes scoped {@code ID=TOKEN} forms.
 */
public final class ViewerTokenOption {
  @Option(names = "--viewer-token", paramLabel = "TOKEN",
      description = "Token viewers must present (?token=, Authorization: Bearer, or WebSocket bearer.<token>).")
  String token;

  /** The token, or null for none. */
  public String token() {
    return token;
  }
}
