package dev.camrelay.cli.options;

import picocli.CommandLine.Option;

/** {@code --viewer-token}: the token of the relay's viewers (the relay requires it; a load generator presents it). */
public final class ViewerTokenOption {
  @Option(names = "--viewer-token", paramLabel = "TOKEN",
      description = "Token viewers must present (?token=, Authorization: Bearer, or WebSocket bearer.<token>).")
  String token;

  /** The token, or null for none. */
  public String token() {
    return token;
  }
}
