package dev.camrelay.cli.simulate;

import dev.camrelay.cli.CamrelayCommand;
import dev.camrelay.cli.UserError;
import dev.camrelay.cli.options.CameraFeedOptions;
import dev.camrelay.cli.options.CameraTlsOptions;
import dev.camrelay.cli.options.RelayIngestAddress;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code camrelay simulate}: a camera for a running relay, speaking the framed protocol (default) or raw JPEG, with a
 * moving test pattern or a folder of JPEGs. Runs until Ctrl-C or {@code --seconds}. See {@link SimulatedCamera}.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Simulates an ESP32 camera: connects to a relay's TCP ingest port and streams a moving test pattern (clock and"
          + " frame counter) or the JPEGs of a folder. In framed mode it answers control commands like the firmware"
          + " (framesize, quality, led, brightness, vflip, hmirror, stream, status). Reconnects with backoff.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  camrelay simulate                                  framed, 'default' camera, 640x480 at 10 fps",
      "  camrelay simulate --camera-id porch --token k3y --fps 20 --size 800x600",
      "  camrelay simulate --raw-per-frame --fps 5          like the hobby sketch: one connection per frame",
      "  camrelay simulate --frames ./jpegs --relay 192.168.1.10:3008",
      "  camrelay simulate --relay cam.example.org:3008 --tls --token k3y     TLS to a relay with --tls-keystore",
      "  camrelay simulate --tls-fingerprint AB:CD:...:EF                       TLS to a self-signed relay"
    })
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RelayIngestAddress relay;

  @Mixin CameraFeedOptions camera;

  @Mixin CameraTlsOptions cameraTls;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Camera token sent in HELLO (framed mode).")
  String token;

  @ArgGroup(exclusive = true)
  RawMode raw;

  static final class RawMode {
    @Option(names = "--raw", required = true, description = "Raw JPEGs back to back on one connection.")
    boolean persistent;

    @Option(names = "--raw-per-frame", required = true, description = "One TCP connection per JPEG.")
    boolean perFrame;
  }

  @Option(names = "--on-demand", description = "Stream only while the relay has viewers (framed mode).")
  boolean onDemand;

  @Option(names = "--seconds", paramLabel = "N", defaultValue = "0",
      description = "Stop after N seconds (default: run until Ctrl-C).")
  double seconds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SimulatedCamera.Mode mode = raw == null ? SimulatedCamera.Mode.FRAMED
        : raw.perFrame ? SimulatedCamera.Mode.RAW_PER_FRAME : SimulatedCamera.Mode.RAW;
    if (mode != SimulatedCamera.Mode.FRAMED && (onDemand || token != null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--on-demand and --token need the framed protocol (drop --raw/--raw-per-frame)");
    }
    SimulatedCamera simulated;
    CameraTls tls;
    try {
      tls = cameraTls.tlsOrNull(relay.tls());
      simulated = camera.applyTo(relay.applyTo(SimulatedCamera.builder()))
          .tls(tls)
          .token(token)
          .size(camera.size().width(), camera.size().height())
          .quality(camera.quality())
          .mode(mode)
          .onDemand(onDemand)
          .framesFolder(camera.frames())
          .firmware("camrelay-simulate")
          .build();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (UncheckedIOException e) {
      throw new UserError(e.getMessage());
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(done::countDown, "camrelay-simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long start = System.nanoTime();
    boolean interrupted = false;
    // -q: only warnings and errors, so no start line, progress or summary
    boolean quiet = spec.root().userObject() instanceof CamrelayCommand root && root.verbosity() < 0;
    try {
      if (!quiet) {
        out.printf("Simulating camera '%s' -> %s (%s%s), %s at %s fps%s%s. Ctrl-C stops.%n", camera.cameraId(), relay,
            tls != null ? tls + ", " : "", mode.name().toLowerCase(Locale.ROOT).replace('_', '-'),
            camera.frames() != null ? "frames from " + camera.frames() : camera.size(),
            camera.fps() == 0 ? "max" : fmt(camera.fps()), onDemand ? ", on demand" : "",
            seconds > 0 ? ", for " + fmt(seconds) + " s" : "");
        out.flush();
      }
      simulated.start();
      long deadline = seconds > 0 ? start + (long) (seconds * 1e9) : Long.MAX_VALUE;
      long lastFrames = 0;
      long lastReport = start;
      while (true) {
        long now = System.nanoTime();
        long wait = Math.min(deadline - now, TimeUnit.SECONDS.toNanos(5));
        try {
          if (wait <= 0 || done.await(wait, TimeUnit.NANOSECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true; // an embedding thread asked us to stop: same as Ctrl-C
          break;
        }
        now = System.nanoTime();
        if (!quiet && now - lastReport >= TimeUnit.SECONDS.toNanos(5)) {
          long sent = simulated.framesSent();
          double rate = (sent - lastFrames) / ((now - lastReport) / 1e9);
          out.printf("%s: %d frames sent (%.1f fps)%s%n", camera.cameraId(), sent, rate,
              simulated.connected() ? (simulated.streaming() ? "" : ", idle (on demand)")
                  : ", not connected" + (simulated.lastError() != null ? ": " + simulated.lastError() : ""));
          out.flush();
          lastFrames = sent;
          lastReport = now;
        }
      }
    } finally {
      simulated.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (!quiet) {
      out.printf("Sent %d frames (%.1f MB) in %.1f s; %d connection%s, %d control command%s.%n",
          simulated.framesSent(), simulated.bytesSent() / 1e6, elapsed, simulated.connections(),
          simulated.connections() == 1 ? "" : "s",
          simulated.controlsReceived(), simulated.controlsReceived() == 1 ? "" : "s");
      out.flush();
    }
    if (simulated.connections() == 0) {
      throw new UserError("could not connect to the relay at " + relay
          + (simulated.lastError() != null ? ": " + simulated.lastError() : ""));
    }
    return 0;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
