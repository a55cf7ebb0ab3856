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
public final class Cli {
  /** How a run ended. */
  public record Result(int exitCode, String out, String err) {}

  private Cli() {}

  public static Result run(String... args) {
    return run(Map.of(), args);
  }

  public static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CamrelayCommand.commandLine(withAnyRtspPort(env));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** The RTSP port defaults to 8554: tests take any free one unless they set it (tests run side by side). */
  private static Map<String, String> withAnyRtspPort(Map<String, String> env) {
    Map<String, String> withPort = new java.util.HashMap<>(env);
    withPort.putIfAbsent("CAMRELAY_RTSP_PORT", "0");
    return withPort;
  }

  /** Starts the relay command in the background and waits until its ports are bound. */
  public static Running start(Map<String, String> env, String... args) throws Exception {
    Running r = new Running(env, args);
    r.relay = r.root.started().get(30, TimeUnit.SECONDS);
    return r;
  }

  /** Runs any command line in the background; {@link Running#stop()} interrupts it (like Ctrl-C). */
  public static Running background(String... args) {
    return new Running(Map.of(), args);
  }

  /** A command running on a background thread. */
  public static final class Running implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CamrelayCommand root;
    private final Thread thread;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private CameraRelay relay;

    Running(Map<String, String> env, String... args) {
      CommandLine cl = CamrelayCommand.commandLine(withAnyRtspPort(env));
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      root = cl.getCommand();
      thread = new Thread(() -> exit.complete(cl.execute(args)), "test-camrelay");
      thread.setDaemon(true);
      thread.start();
    }

    /** The relay the main command started (only after {@link Cli#start}). */
    public CameraRelay relay() {
      return relay;
    }

    /** Re-reads the YAML config file as SIGHUP does; false if it cannot be used. */
    public boolean reloadConfig() {
      return root.reloadConfig();
    }

    public String out() {
      return out.toString();
    }

    public String err() {
      return err.toString();
    }

    /** Waits for the command to end by itself. */
    public Result await() throws Exception {
      int code = exit.get(60, TimeUnit.SECONDS);
      return new Result(code, out.toString(), err.toString());
    }

    /** Stops the command (the relay's shutdown, or an interrupt for subcommands) and returns how it ended. */
    public Result stop() throws Exception {
      if (relay != null) {
        root.shutdown();
      } else {
        thread.interrupt();
      }
      return await();
    }

    @Override
    public void close() throws Exception {
      if (!exit.isDone()) {
        assertThat(stop().exitCode()).isZero();
      }
    }
  }
}
