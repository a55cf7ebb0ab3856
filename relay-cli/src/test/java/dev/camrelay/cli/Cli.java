package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.CameraRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs the real {@code camrelay} command line in-process with captured output and a chosen environment. */
final class Cli {
  /** How a run ended. */
  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CamrelayCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Starts the relay command in the background and waits until its ports are bound. */
  static Running start(Map<String, String> env, String... args) throws Exception {
    Running r = new Running(env, args);
    r.relay = r.command.started().get(30, TimeUnit.SECONDS);
    return r;
  }

  /** A relay command running on a background thread. */
  static final class Running implements AutoCloseable {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CamrelayCommand command;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    CameraRelay relay;

    Running(Map<String, String> env, String... args) {
      CommandLine cl = CamrelayCommand.commandLine(env);
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      command = cl.getCommand();
      Thread t = new Thread(() -> exit.complete(cl.execute(args)), "test-camrelay");
      t.setDaemon(true);
      t.start();
    }

    /** Stops the relay and returns how the command ended. */
    Result stop() throws Exception {
      command.shutdown();
      int code = exit.get(30, TimeUnit.SECONDS);
      return new Result(code, out.toString(), err.toString());
    }

    @Override
    public void close() throws Exception {
      if (!exit.isDone()) {
        assertThat(stop().exitCode()).isZero();
      }
    }
  }
}
