package dev.camrelay.cli;

/**
 * An expected failure (a port in use, a missing keystore, a relay that refuses the connection): the command prints
 * the message, without a stack trace, and exits with {@link #exitCode()}.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  /** A failure that exits with status 1. */
  public UserError(String message) {
    this(message, 1);
  }

  /** A failure that exits with the given status. */
  public UserError(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** The process exit status. */
  public int exitCode() {
    return exitCode;
  }
}
