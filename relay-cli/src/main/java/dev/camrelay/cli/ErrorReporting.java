package dev.camrelay.cli;

import java.io.PrintWriter;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the command reports failures on its err stream: a usage error (exit 2) with a suggestion and where to find
 * help; a {@link UserError} as its message alone; anything else as one line, with the stack trace at -v (exit 1).
 */
final class ErrorReporting implements IExecutionExceptionHandler {
  private final IntSupplier verbosity;

  /** {@code verbosity}: the root command's, read when an error happens (after parsing). */
  ErrorReporting(IntSupplier verbosity) {
    this.verbosity = verbosity;
  }

  static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("camrelay: " + message(e));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * The error in one line. For a mistyped option picocli lists the option and the value after it as two unknown
   * options ({@code Unknown options: '--http-prot', '8080'}); name only the option.
   */
  private static String message(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && u.getUnmatched().get(0).startsWith("-")) {
      String first = u.getUnmatched().get(0);
      int eq = first.indexOf('=');
      return "unknown option '" + (eq > 0 ? first.substring(0, eq) : first) + "'";
    }
    return e.getMessage();
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof UserError u) {
      err.println("camrelay: " + u.getMessage());
      err.flush();
      return u.exitCode();
    }
    err.println("camrelay: " + e);
    if (verbosity.getAsInt() > 0) {
      e.printStackTrace(err);
    } else {
      err.println("(run with -v for the stack trace)");
    }
    err.flush();
    return 1;
  }
}
