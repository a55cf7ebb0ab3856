package dev.camrelay.cli.probe;

import dev.camrelay.cli.UserError;
import dev.camrelay.cli.client.WsHandshakeException;
import dev.camrelay.cli.client.WsViewerClient;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code camrelay probe}: watches a relay as a viewer (WebSocket or HTTP MJPEG) and prints one line per frame: size,
 * resolution, interval since the previous frame and, for frames tagged by {@code camrelay bench}, their age.
 * Optionally saves the frames. Exits 1 if the stream ends early or any frame is not a complete JPEG.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Connects to a relay as a viewer and prints per-frame info (bytes, resolution, interval, age of bench-tagged"
          + " frames). Takes a WebSocket URL (ws://host:3009/, ws://host:3009/cam/<id>) or an HTTP MJPEG URL"
          + " (http://host:3010/cam/<id>/stream.mjpeg); a snapshot.jpg URL gives one frame.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  camrelay probe ws://localhost:3009/ --count 10",
      "  camrelay probe http://localhost:3010/cam/default/stream.mjpeg --count 5 --save frames/",
      "  camrelay probe https://cam.example.org:3010/cam/porch/stream.mjpeg --token s3cret --insecure"
    })
public final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "ws://, wss://, http:// or https:// URL of a stream.")
  String url;

  @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "0",
      description = "Stop after N frames (default: until Ctrl-C).")
  int count;

  @Option(names = "--save", paramLabel = "DIR", description = "Save the frames as DIR/frame-00001.jpg, …")
  Path save;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Viewer token (added as ?token=).")
  String token;

  @Option(names = "--insecure", description = "Accept any TLS certificate (self-signed relays).")
  boolean insecure;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Give up when connecting or waiting for a frame takes longer (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(names = "--max-frame-size", paramLabel = "BYTES", defaultValue = "16777216",
      description = "Largest frame accepted (default: 16 MiB).")
  int maxFrameBytes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (count < 0 || !(timeoutSeconds > 0)) {
      throw new ParameterException(spec.commandLine(), "--count must be >= 0 and --timeout > 0");
    }
    URI uri = withToken(parse(url));
    if (save != null) {
      try {
        Files.createDirectories(save);
      } catch (IOException e) {
        throw new UserError("cannot create " + save + ": " + e.getMessage());
      }
    }
    Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    FrameQueue queue = new FrameQueue();
    AutoCloseable source;
    if (scheme.startsWith("ws")) {
      source = openWebSocket(uri, queue, timeout);
    } else {
      source = new HttpFrameSource(uri, insecure, maxFrameBytes, timeout, queue, token != null).open();
    }
    out.println("Connected to " + redacted(uri) + (count > 0 ? ", reading " + count + " frames" : "") + ".");
    out.flush();
    int frames = 0;
    int invalid = 0;
    // The rate is timed from the second frame: the first is the relay's latest frame, sent the moment we connect,
    // not one the camera sent at its pace (counting it made 5 frames of a 15 fps camera read as ~30 fps).
    long secondNanos = 0;
    long previousNanos = 0;
    long bytes = 0;
    String endReason = null;
    try (source) {
      while (count == 0 || frames < count) {
        FrameQueue.Item item = queue.take(timeout);
        if (item == null) {
          endReason = "no frame within " + fmt(timeoutSeconds) + " s";
          break;
        }
        if (item.jpeg() == null) {
          endReason = item.endReason();
          break;
        }
        frames++;
        bytes += item.jpeg().length;
        if (frames == 2) {
          secondNanos = item.receivedNanos();
        }
        String info = describe(item.jpeg());
        if (info.startsWith("INVALID")) {
          invalid++;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "#%-5d %8d B  %s", frames,
            item.jpeg().length, info));
        if (previousNanos != 0) {
          line.append(String.format(Locale.ROOT, "  +%.1f ms", (item.receivedNanos() - previousNanos) / 1e6));
        }
        Double age = ageMillis(item);
        if (age != null) {
          line.append(String.format(Locale.ROOT, "  age %.1f ms", age));
        }
        previousNanos = item.receivedNanos();
        if (save != null) {
          Path file = save.resolve(String.format(Locale.ROOT, "frame-%05d.jpg", frames));
          Files.write(file, item.jpeg());
          line.append("  -> ").append(file);
        }
        out.println(line);
        out.flush();
      }
    }
    double fps = rate(frames, secondNanos, previousNanos);
    out.printf(Locale.ROOT, "%d frame%s, %.1f KB average%s%s.%n", frames, frames == 1 ? "" : "s",
        frames == 0 ? 0.0 : bytes / 1024.0 / frames,
        fps > 0 ? String.format(Locale.ROOT, ", %.1f fps", fps) : "",
        invalid > 0 ? ", " + invalid + " INVALID" : "");
    out.flush();
    if (count > 0 && frames < count) {
      throw new UserError("stream ended after " + frames + " of " + count + " frames: " + endReason);
    }
    if (invalid > 0) {
      throw new UserError(invalid + " frame(s) were not complete JPEGs");
    }
    return 0;
  }

  private AutoCloseable openWebSocket(URI uri, FrameQueue queue, Duration timeout) throws InterruptedException {
    WsViewerClient client = new WsViewerClient(1);
    WsViewerClient.Options options = new WsViewerClient.Options(uri, null, null, null, maxFrameBytes, insecure, 0);
    try {
      WsViewerClient.Viewer viewer = client.connect(options, new WsViewerClient.Listener() {
        @Override
        public void onBinary(io.netty.buffer.ByteBuf data, long receivedNanos) {
          byte[] copy = new byte[data.readableBytes()];
          data.getBytes(data.readerIndex(), copy);
          queue.put(copy, receivedNanos);
        }

        @Override
        public void onClosed(String reason) {
          queue.end(reason);
        }
      }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return () -> {
        viewer.close();
        client.close();
      };
    } catch (ExecutionException e) {
      client.close();
      if (e.getCause() instanceof WsHandshakeException h && h.status() != 0) {
        throw new UserError(ProbeFailures.refused(uri, h.status(), h.reasonPhrase(), h.body(), token != null));
      }
      throw new UserError(ProbeFailures.connectFailed(uri, e.getCause(), timeoutSeconds));
    } catch (TimeoutException e) {
      client.close();
      throw new UserError("cannot watch " + redacted(uri) + ": no answer within " + fmt(timeoutSeconds) + " s");
    }
  }

  private URI parse(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("ws") || scheme.equals("wss") || scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null) {
        throw new ParameterException(spec.commandLine(),
            "URL must be ws://, wss://, http:// or https:// with a host, e.g. ws://localhost:3009/ (got " + value + ")");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ParameterException(spec.commandLine(), "bad URL: " + e.getMessage());
    }
  }

  private URI withToken(URI uri) {
    if (token == null) {
      return uri;
    }
    String q = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    String query = uri.getRawQuery() == null ? q : uri.getRawQuery() + "&" + q;
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + "?" + query);
  }

  /** The URL without its token, for printing. */
  static String redacted(URI uri) {
    return uri.toString().replaceAll("([?&]token=)[^&]*", "$1***");
  }

  /** "800x600 baseline" or "INVALID: why". */
  static String describe(byte[] jpeg) {
    try {
      JpegFrame frame = JpegFrame.parse(jpeg.clone());
      JpegInfo info = JpegInfo.of(frame);
      return String.format(Locale.ROOT, "%4dx%-4d %s", info.width(), info.height(),
          info.progressive() ? "progressive" : "baseline");
    } catch (JpegFormatException e) {
      return "INVALID: " + e.getMessage();
    }
  }

  /** The age of a frame tagged by {@code camrelay bench} (CRB1 COM segment after SOI), else null. */
  static Double ageMillis(FrameQueue.Item item) {
    byte[] b = item.jpeg();
    if (b.length < 26 || (b[2] & 0xff) != 0xff || (b[3] & 0xff) != 0xfe || b[6] != 'C' || b[7] != 'R' || b[8] != 'B'
        || b[9] != '1') {
      return null;
    }
    double sent = ByteBuffer.wrap(b, 18, 8).getDouble();
    long nowNanos = item.receivedNanos();
    double receivedMillis = System.currentTimeMillis() - (System.nanoTime() - nowNanos) / 1e6;
    return receivedMillis - sent;
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }  /** Frames per second from the second frame to the last (0 with fewer than three frames). */
  static double rate(int frames, long secondNanos, long lastNanos) {
    return frames > 2 && lastNanos > secondNanos ? (frames - 2) / ((lastNanos - secondNanos) / 1e9) : 0;
  }


}
