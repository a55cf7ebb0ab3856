package dev.camrelay.cli;

import dev.camrelay.cli.bench.BenchCommand;
import dev.camrelay.cli.probe.ProbeCommand;
import dev.camrelay.cli.simulate.SimulateCommand;
import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.relay.CameraRelay;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code camrelay} command: runs the relay (cameras push on TCP 3008 or WebSocket 3009, viewers watch on
 * WebSocket 3009 and HTTP 3010), prints the URLs to open and a status line while cameras are live.
 * Subcommands: {@code simulate} (a camera), {@code bench} (a load generator), {@code probe} (a viewer that prints
 * frame info).
 *
 * <p>Every option can also come from the environment ({@code CAMRELAY_HTTP_PORT=8080}) or a properties file
 * ({@code --config camrelay.properties} with {@code http-port=8080}); a flag wins over the environment, the
 * environment over the file. Exit status: 0 after a clean stop, 1 on a runtime failure (e.g. a port in use),
 * 2 on a bad flag.
 */
@Command(
    name = "camrelay",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    subcommands = {SimulateCommand.class, BenchCommand.class, ProbeCommand.class},
    description = {
      "Relays live JPEG video from network cameras (ESP32-CAM and friends) to browsers, VLC, Home Assistant and"
          + " Java code, with low latency.",
      "",
      "Cameras push to TCP port 3008 (raw back-to-back JPEGs, one JPEG per connection, or the framed protocol) or"
          + " WebSocket ws://host:3009/ingest/<id>. Viewers open http://host:3010/, the MJPEG stream"
          + " /cam/<id>/stream.mjpeg, the snapshot /cam/<id>/snapshot.jpg, or ws://host:3009/.",
      "",
      "Every option can also be set in the environment (CAMRELAY_<OPTION>, e.g. CAMRELAY_HTTP_PORT=8080) or in a"
          + " --config file (http-port=8080); a flag wins over the environment, the environment over the file.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  camrelay --demo                         relay + simulated camera: open http://localhost:3010/",
      "  camrelay                                relay on 3008/3009/3010; point the ESP32 sketch at this machine",
      "  camrelay --viewer-token s3cret --camera-token cam=k3y",
      "                                          viewers need ?token=s3cret; camera 'cam' must send k3y",
      "  camrelay --pull garage=http://192.168.1.40:81/stream",
      "                                          pull an ESP32 web-server stream as camera 'garage'",
      "  CAMRELAY_HTTP_PORT=8080 camrelay        ports and tokens from the environment (docker, systemd)",
      "  camrelay --config /etc/camrelay.properties",
      "  camrelay simulate --fps 15 --size 800x600   a test camera for a running relay",
      "  camrelay probe http://localhost:3010/cam/default/stream.mjpeg --count 5 --save frames/",
      "  camrelay bench --viewers 200 --seconds 10   load test a running relay",
      "",
      "Exit status: 0 stopped cleanly, 1 runtime failure (port in use, unreadable keystore), 2 bad flag."
    })
public final class CamrelayCommand implements Callable<Integer> {
  private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Read defaults from this Java properties file (keys are long option names: http-port=8080).")
  Path config;

  @Option(names = "--demo",
      description = "Also run a simulated camera ('default' camera, framed protocol over the TCP port) so there is"
          + " live video with no hardware.")
  boolean demo;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface; 127.0.0.1 for this machine"
          + " only).")
  String bind;

  @Option(names = "--tcp-port", paramLabel = "PORT", defaultValue = "3008",
      description = "Camera TCP ingest port, raw JPEG or framed (default: ${DEFAULT-VALUE}; 0 = any free port,"
          + " -1 = off).")
  int tcpPort;

  @Option(names = "--ws-port", paramLabel = "PORT", defaultValue = "3009",
      description = "WebSocket port for viewers and camera ingest (default: ${DEFAULT-VALUE}).")
  int wsPort;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "3010",
      description = "HTTP port: web viewer, MJPEG, snapshots, API, metrics (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--default-camera", paramLabel = "ID", defaultValue = "default",
      description = "Camera id for raw TCP ingest and the ws:// root path (default: ${DEFAULT-VALUE}).")
  String defaultCamera;

  @Option(names = "--camera-token", paramLabel = "[ID=]TOKEN", split = ",",
      description = "Token cameras must send (framed HELLO or WebSocket ingest). TOKEN alone applies to every"
          + " camera; ID=TOKEN to one camera. Repeatable.")
  List<String> cameraTokens = new ArrayList<>();

  @Option(names = "--viewer-token", paramLabel = "TOKEN",
      description = "Token viewers must present (?token=, Authorization: Bearer, or WebSocket bearer.<token>).")
  String viewerToken;

  @Option(names = "--control-token", paramLabel = "TOKEN",
      description = "Token a viewer needs to send camera control commands.")
  String controlToken;

  @Option(names = "--pull", paramLabel = "ID=URL", split = ",",
      description = "Pull an MJPEG stream (e.g. an ESP32 web server's :81/stream) as camera ID. Repeatable.")
  List<String> pulls = new ArrayList<>();

  @Option(names = "--max-frame-size", paramLabel = "SIZE", defaultValue = "4MiB", converter = ByteSizeConverter.class,
      description = "Largest JPEG accepted; larger frames are dropped (default: ${DEFAULT-VALUE}; KiB/MiB suffixes).")
  int maxFrameSize;

  @Option(names = "--no-raw-ingest",
      description = "Refuse raw JPEG TCP cameras (they cannot authenticate); only the framed protocol.")
  boolean noRawIngest;

  @Option(names = "--no-web-viewer", description = "Do not serve the web viewer page at /.")
  boolean noWebViewer;

  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "PKCS#12 keystore: serve https:// and wss:// instead of http:// and ws://.")
  Path tlsKeystore;

  @Option(names = "--tls-password", paramLabel = "PASSWORD",
      description = "Keystore password (prefer CAMRELAY_TLS_PASSWORD, which stays out of the process list).")
  String tlsPassword;

  @Option(names = "--max-connections", paramLabel = "N", description = "Most connections in total (relay default 2000).")
  Integer maxConnections;

  @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Most connections from one address (relay default 250).")
  Integer maxConnectionsPerIp;

  @Option(names = "--max-cameras", paramLabel = "N", description = "Most cameras at once (relay default 1024).")
  Integer maxCameras;

  @Option(names = "--viewer-send-buffer", paramLabel = "SIZE", converter = ByteSizeConverter.class,
      description = "Kernel send buffer per viewer socket: bounds the bytes in flight to a slow viewer"
          + " (relay default 32KiB).")
  Integer viewerSendBuffer;

  @Option(names = "--control-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a control command waits for the camera's reply (relay default 5s).")
  Duration controlTimeout;

  @Option(names = "--on-demand-linger", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Keep an on-demand camera streaming this long after its last viewer leaves (relay default 10s).")
  Duration onDemandLinger;

  @Option(names = "--handshake-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time a framed camera has to send HELLO (relay default 5s).")
  Duration handshakeTimeout;

  @Option(names = "--camera-idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Drop a camera silent this long (relay default 15s).")
  Duration cameraIdleTimeout;

  @Option(names = "--viewer-stall-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Disconnect a viewer that accepts no data this long (relay default 10s).")
  Duration viewerStallTimeout;

  @Option(names = "--status-interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "How often to print the status line while cameras are live (default: ${DEFAULT-VALUE}; 0 = never).")
  Duration statusInterval;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "More log output (-vv: also the network libraries).")
  boolean[] verbose = new boolean[0];

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Only warnings and errors.")
  boolean quiet;

  private final CompletableFuture<CameraRelay> started = new CompletableFuture<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The configured command line (environment defaults, error handling); tests pass their own environment. */
  static CommandLine commandLine(Map<String, String> env) {
    CamrelayCommand root = new CamrelayCommand();
    CommandLine cl = new CommandLine(root);
    cl.setDefaultValueProvider(new EnvironmentDefaults(env));
    cl.setExecutionStrategy(parseResult -> {
      Logging.configure(root.verbosity());
      return new CommandLine.RunLast().execute(parseResult);
    });
    cl.setParameterExceptionHandler(CamrelayCommand::usageError);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof UserError u) {
        err.println("camrelay: " + u.getMessage());
        err.flush();
        return u.exitCode();
      }
      err.println("camrelay: " + e);
      if (root.verbosity() > 0) {
        e.printStackTrace(err);
      } else {
        err.println("(run with -v for the stack trace)");
      }
      err.flush();
      return 1;
    });
    return cl;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("camrelay: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** -1 quiet, 0 normal, 1 -v, 2 -vv. */
  int verbosity() {
    return quiet ? -1 : Math.min(2, verbose.length);
  }

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } finally {
      started.completeExceptionally(new IllegalStateException("the relay is not running"));
    }
  }

  private int run() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> perCameraTokens = new LinkedHashMap<>();
    String globalCameraToken;
    try {
      globalCameraToken = splitCameraTokens(cameraTokens, perCameraTokens);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, URI> pullUris = parsePulls();
    checkPorts();
    checkKeystore();

    CameraRelay relay;
    try {
      relay = configure(globalCameraToken, perCameraTokens, pullUris).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      relay.start();
    } catch (BindException e) {
      relay.close();
      throw new UserError(bindMessage(e));
    } catch (IOException e) {
      relay.close();
      throw new UserError(failureMessage(e));
    }

    SimulatedCamera demoCamera = null;
    StatusReporter status = null;
    Thread hook = new Thread(this::shutdownAndWait, "camrelay-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      new StartupBanner(relay, bind, tlsKeystore != null, viewerToken != null, defaultCamera, pullUris.keySet(),
          demo).print(out);
      if (demo) {
        demoCamera = startDemoCamera(relay, globalCameraToken, perCameraTokens);
      }
      if (!statusInterval.isZero()) {
        status = new StatusReporter(relay, out, System.console() != null, statusInterval);
        status.start();
      }
      started.complete(relay);
      stop.await();
    } finally {
      if (status != null) {
        status.close();
      }
      if (demoCamera != null) {
        demoCamera.close();
      }
      relay.close();
      out.flush();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is what stopped us
      }
    }
    return 0;
  }

  private CameraRelay.Builder configure(String globalCameraToken, Map<String, String> perCameraTokens,
                                       Map<String, URI> pullUris) {
    CameraRelay.Builder b = CameraRelay.builder()
        .bind(bind)
        .tcpPort(tcpPort)
        .wsPort(wsPort)
        .httpPort(httpPort)
        .defaultCameraId(defaultCamera)
        .maxFrameBytes(maxFrameSize)
        .allowRawIngest(!noRawIngest)
        .serveViewer(!noWebViewer);
    if (globalCameraToken != null) {
      b.cameraToken(globalCameraToken);
    }
    perCameraTokens.forEach(b::cameraToken);
    if (viewerToken != null) {
      b.viewerToken(viewerToken);
    }
    if (controlToken != null) {
      b.controlToken(controlToken);
    }
    if (maxConnections != null) {
      b.maxConnections(maxConnections);
    }
    if (maxConnectionsPerIp != null) {
      b.maxConnectionsPerIp(maxConnectionsPerIp);
    }
    if (maxCameras != null) {
      b.maxCameras(maxCameras);
    }
    if (viewerSendBuffer != null) {
      b.viewerSendBufferBytes(viewerSendBuffer);
    }
    if (controlTimeout != null) {
      b.controlTimeout(controlTimeout);
    }
    if (onDemandLinger != null) {
      b.onDemandLinger(onDemandLinger);
    }
    if (handshakeTimeout != null) {
      b.handshakeTimeout(handshakeTimeout);
    }
    if (cameraIdleTimeout != null) {
      b.cameraIdleTimeout(cameraIdleTimeout);
    }
    if (viewerStallTimeout != null) {
      b.viewerStallTimeout(viewerStallTimeout);
    }
    if (tlsKeystore != null) {
      b.tls(tlsKeystore, tlsPassword == null ? new char[0] : tlsPassword.toCharArray());
    }
    pullUris.forEach(b::pull);

    return b;
  }

  /** Completes with the running relay once every port is bound (tests use it). */
  CompletableFuture<CameraRelay> started() {
    return started;
  }

  /** Stops a running relay; call() then returns 0. */
  void shutdown() {
    stop.countDown();
  }

  private void shutdownAndWait() {
    stop.countDown();
    try {
      stopped.await(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SimulatedCamera startDemoCamera(CameraRelay relay, String globalToken, Map<String, String> perCamera) {
    if (relay.tcpPort() < 0) {
      throw new ParameterException(spec.commandLine(), "--demo needs the TCP ingest port (remove --tcp-port -1)");
    }
    String token = perCamera.getOrDefault(defaultCamera, globalToken);
    SimulatedCamera camera = SimulatedCamera.builder()
        .relay("127.0.0.1", relay.tcpPort())
        .cameraId(defaultCamera)
        .token(token)
        .fps(15)
        .size(640, 480)
        .firmware("camrelay-demo " + VersionProvider.version())
        .build();
    return camera.start();
  }

  /**
   * Splits --camera-token values into per-camera tokens (ID=TOKEN, put into {@code perCamera}) and returns the global
   * token, if any. "abc==" (base64 padding) is a token, not camera "abc": an ID must be followed by a non-empty token
   * that does not start with '='.
   *
   * @throws IllegalArgumentException for an empty token or two different global tokens (never naming a token)
   */
  static String splitCameraTokens(List<String> values, Map<String, String> perCamera) {
    String global = null;
    for (String value : values) {
      int eq = value.indexOf('=');
      boolean perCameraForm = eq > 0 && eq < value.length() - 1 && value.charAt(eq + 1) != '='
          && CAMERA_ID.matcher(value.substring(0, eq)).matches();
      if (perCameraForm) {
        perCamera.put(value.substring(0, eq), value.substring(eq + 1));
      } else if (value.isEmpty()) {
        throw new IllegalArgumentException("--camera-token must not be empty");
      } else if (global != null && !global.equals(value)) {
        throw new IllegalArgumentException(
            "--camera-token given twice without a camera id; use ID=TOKEN for per-camera tokens");
      } else {
        global = value;
      }
    }
    return global;
  }

  private Map<String, URI> parsePulls() {
    Map<String, URI> out = new LinkedHashMap<>();
    for (String value : pulls) {
      int eq = value.indexOf('=');
      String id = eq > 0 ? value.substring(0, eq) : "";
      if (!CAMERA_ID.matcher(id).matches()) {
        throw new ParameterException(spec.commandLine(),
            "--pull '" + value + "': expected ID=URL with ID of 1..64 [A-Za-z0-9._-], e.g. garage=http://192.168.1.40:81/stream");
      }
      URI uri;
      try {
        uri = new URI(value.substring(eq + 1));
      } catch (java.net.URISyntaxException e) {
        throw new ParameterException(spec.commandLine(), "--pull '" + value + "': bad URL: " + e.getMessage());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ParameterException(spec.commandLine(),
            "--pull '" + value + "': the URL must be http:// or https:// with a host");
      }
      if (out.put(id, uri) != null) {
        throw new ParameterException(spec.commandLine(), "--pull: camera '" + id + "' given twice");
      }
    }
    return out;
  }

  private void checkPorts() {
    checkPort("--tcp-port", tcpPort);
    checkPort("--ws-port", wsPort);
    checkPort("--http-port", httpPort);
    if (!CAMERA_ID.matcher(defaultCamera).matches()) {
      throw new ParameterException(spec.commandLine(),
          "--default-camera '" + defaultCamera + "': a camera id is 1..64 of [A-Za-z0-9._-]");
    }
  }

  private void checkPort(String flag, int port) {
    if (port < -1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), flag + " " + port + ": must be 0..65535 (or -1 to turn it off)");
    }
  }

  private void checkKeystore() {
    if (tlsKeystore == null) {
      if (tlsPassword != null) {
        throw new ParameterException(spec.commandLine(), "--tls-password needs --tls-keystore");
      }
      return;
    }
    if (!Files.exists(tlsKeystore)) {
      throw new UserError("TLS keystore " + tlsKeystore + " does not exist (--tls-keystore)");
    }
    if (!Files.isRegularFile(tlsKeystore) || !Files.isReadable(tlsKeystore)) {
      throw new UserError("TLS keystore " + tlsKeystore + " is not a readable file (--tls-keystore)");
    }
  }

  private String bindMessage(BindException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.contains("--")) {
      return m; // the relay names the port and its flag
    }
    return "cannot listen: " + m + " (one of ports " + tcpPort + "/" + wsPort + "/" + httpPort
        + " is taken; change it with --tcp-port, --ws-port or --http-port)";
  }

  private String failureMessage(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (tlsKeystore != null && !m.contains(tlsKeystore.toString())
        && (m.toLowerCase(java.util.Locale.ROOT).contains("keystore")
            || m.toLowerCase(java.util.Locale.ROOT).contains("password"))) {
      return "TLS keystore " + tlsKeystore + ": " + m;
    }
    return "cannot start: " + m;
  }
}
