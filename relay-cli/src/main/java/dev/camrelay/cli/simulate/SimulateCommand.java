package dev.camrelay.cli.simulate;

import dev.camrelay.cli.HostPort;
import dev.camrelay.cli.Size;
import dev.camrelay.cli.UserError;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
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
      "  camrelay simulate --frames ./jpegs --relay 192.168.1.10:3008"
    })
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"--relay", "--tcp"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:3008",
      converter = HostPort.Converter.class,
      description = "The relay's TCP ingest address (default: ${DEFAULT-VALUE}).")
  HostPort relay;

  @Option(names = "--camera-id", paramLabel = "ID", defaultValue = "default",
      description = "Camera id sent in HELLO (framed mode; raw cameras are the relay's default camera)."
          + " Default: ${DEFAULT-VALUE}.")
  String cameraId;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Camera token sent in HELLO (framed mode).")
  String token;

  @Option(names = "--fps", paramLabel = "N", defaultValue = "10",
      description = "Frames per second; 0 = as fast as the relay takes them (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--size", paramLabel = "WxH", defaultValue = "640x480", converter = Size.Converter.class,
      description = "Test pattern size (default: ${DEFAULT-VALUE}).")
  Size size;

  @Option(names = "--quality", paramLabel = "Q", defaultValue = "12",
      description = "JPEG quality on the ESP32 scale, 0 best .. 63 worst (default: ${DEFAULT-VALUE}).")
  int quality;

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

  @Option(names = "--frames", paramLabel = "DIR", description = "Send the JPEG files of this folder in a loop.")
  Path frames;

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
    SimulatedCamera camera;
    try {
      camera = SimulatedCamera.builder()
          .relay(relay.host(), relay.port())
          .cameraId(cameraId)
          .token(token)
          .fps(fps)
          .size(size.width(), size.height())
          .quality(quality)
          .mode(mode)
          .onDemand(onDemand)
          .framesFolder(frames)
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
    try {
      out.printf("Simulating camera '%s' -> %s (%s), %s at %s fps%s%s. Ctrl-C stops.%n", cameraId, relay,
          mode.name().toLowerCase(Locale.ROOT).replace('_', '-'), frames != null ? "frames from " + frames : size,
          fps == 0 ? "max" : fmt(fps), onDemand ? ", on demand" : "", seconds > 0 ? ", for " + fmt(seconds) + " s" : "");
      out.flush();
      camera.start();
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
        if (now - lastReport >= TimeUnit.SECONDS.toNanos(5)) {
          long sent = camera.framesSent();
          double rate = (sent - lastFrames) / ((now - lastReport) / 1e9);
          out.printf("%s: %d frames sent (%.1f fps)%s%n", cameraId, sent, rate,
              camera.connected() ? (camera.streaming() ? "" : ", idle (on demand)")
                  : ", not connected" + (camera.lastError() != null ? ": " + camera.lastError() : ""));
          out.flush();
          lastFrames = sent;
          lastReport = now;
        }
      }
    } finally {
      camera.close();
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
    out.printf("Sent %d frames (%.1f MB) in %.1f s; %d connection%s, %d control command%s.%n", camera.framesSent(),
        camera.bytesSent() / 1e6, elapsed, camera.connections(), camera.connections() == 1 ? "" : "s",
        camera.controlsReceived(), camera.controlsReceived() == 1 ? "" : "s");
    out.flush();
    if (camera.connections() == 0) {
      throw new UserError("could not connect to the relay at " + relay
          + (camera.lastError() != null ? ": " + camera.lastError() : ""));
    }
    return 0;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
