package dev.camrelay.cli;

import dev.camrelay.cli.bench.BenchCommand;
import dev.camrelay.cli.probe.ProbeCommand;
import dev.camrelay.cli.simulate.SimulateCommand;
import dev.camrelay.cli.simulate.SimulatedCamera;
import dev.camrelay.cluster.ClusterNode;
import dev.camrelay.cluster.ClusterOptions;
import dev.camrelay.relay.CameraRelay;
import dev.camrelay.relay.CameraSpec;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code camrelay} command: runs the relay (cameras push on TCP 3008 or WebSocket 3009, viewers watch on
 * WebSocket 3009 and HTTP 3010), prints the URLs to open and a status line while cameras are live.
 * Subcommands: {@code simulate} (a camera), {@code bench} (a load generator), {@code probe} (a viewer that prints
 * frame info), {@code share} (a link that shows one camera until it expires).
 *
 * <p>Every option can also come from the environment ({@code CAMRELAY_HTTP_PORT=8080}) or a properties file
 * ({@code --config camrelay.properties} with {@code http-port=8080}); a flag wins over the environment, the
 * environment over the file. Exit status: 0 after a clean stop, 1 on a runtime failure (e.g. a port in use),
 * 2 on a bad flag.
 *
 * <p>The options come in groups ({@link ListenOptions}, {@link AccessOptions}, {@link PullOptions},
 * {@link ServingOptions}, {@link TlsOptions}, {@link LimitOptions}), each mapping itself onto the relay's builder;
 * {@link ClusterCliOptions} joins the started relay to a cluster; {@link RelayLifecycle} runs the started relay.
 */
@Command(
    name = "camrelay",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    subcommands = {SimulateCommand.class, BenchCommand.class, ProbeCommand.class, ShareCommand.class,
        FirmwareCommand.class},
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
    // One example per two lines (command, then what it does), each under 80 columns: picocli wraps a longer line
    // wherever it likes, also inside a URL.
    footer = {
      "  camrelay --demo",
      "      relay + a simulated camera: open http://localhost:3010/",
      "  camrelay",
      "      relay on 3008/3009/3010; point the ESP32 sketch at this machine",
      "  camrelay --viewer-token s3cret --camera-token cam=k3y",
      "      viewers need ?token=s3cret; camera 'cam' must send k3y",
      "  camrelay --viewer-token s3cret --viewer-token garage,porch=n3ighb0ur",
      "      n3ighb0ur opens only cameras garage and porch",
      "  camrelay --pull garage=http://192.168.1.40:81/stream",
      "      pull an ESP32 web-server stream as camera 'garage'",
      "  CAMRELAY_HTTP_PORT=8080 camrelay",
      "      ports and tokens from the environment (docker, systemd)",
      "  camrelay --cluster nats://nats1:4222,nats://nats2:4222 --node-name a",
      "      one node of several: every camera on every node",
      "  camrelay --config /etc/camrelay.yaml",
      "      settings from a file; its cameras: section is followed live",
      "  camrelay simulate --fps 15 --size 800x600",
      "      a test camera for a running relay",
      "  camrelay probe http://localhost:3010/cam/default/stream.mjpeg --count 5",
      "      check a stream: frames, sizes, rate",
      "  camrelay bench --viewers 200 --seconds 10",
      "      load test a running relay",
      "  camrelay share garage --for 24h --url https://relay.example:3010",
      "      a link that shows camera 'garage' to anyone for a day",
      "  camrelay firmware garage fw.bin --relay http://nas:3010",
      "      update camera 'garage' (needs the relay's --admin-token)",
      "",
      "Exit status: 0 stopped cleanly, 1 runtime failure (port in use, unreadable keystore),",
      "2 bad flag."
    })
public final class CamrelayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = EnvironmentDefaults.CONFIG_OPTION, paramLabel = "FILE",
      description = "Read defaults from this file: YAML (.yaml/.yml: http-port: 8080, and a 'cameras:' section"
          + " re-read when the file changes or on SIGHUP) or Java properties (http-port=8080).")
  Path config;

  @Option(names = "--demo",
      description = "Also run a simulated camera ('default' camera, framed protocol over the TCP port) so there is"
          + " live video with no hardware. Listens on 127.0.0.1 unless --bind is given, so the page's control panel"
          + " works without tokens.")
  boolean demo;

  @Mixin ListenOptions listen;

  @Mixin AccessOptions access;

  @Mixin PullOptions pulls;

  @Mixin AdminOptions admin;

  @Mixin ServingOptions serving;

  @Mixin TlsOptions tls;

  @Mixin LimitOptions limits;

  @Mixin ClusterCliOptions cluster;
  @Mixin RecordOptions recording;

  @Mixin ClipOptions clips;

  @Option(names = "--status-interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "How often to print the status line while cameras are live (default: ${DEFAULT-VALUE}; 0 = never).")
  Duration statusInterval;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "More log output (-vv: also the network libraries).")
  boolean[] verbose = new boolean[0];

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Only warnings and errors.")
  boolean quiet;

  private final RelayLifecycle lifecycle = new RelayLifecycle();
  private volatile ConfigReloader reloader;

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The configured command line (environment defaults, error handling); tests pass their own environment. */
  static CommandLine commandLine(Map<String, String> env) {
    CamrelayCommand root = new CamrelayCommand();
    CommandLine cl = new CommandLine(root);
    cl.setDefaultValueProvider(new EnvironmentDefaults(env));
    // A node or camera may be called "bench" or "probe": after an option that takes a value, that is the value.
    cl.setAllowSubcommandsAsOptionParameters(true);
    cl.setExecutionStrategy(parseResult -> {
      Logging.configure(root.verbosity());
      UnknownEnvironmentVariables.warnings(env, cl.getCommandSpec())
          .forEach(w -> cl.getErr().println("camrelay: warning: " + w));
      return new CommandLine.RunLast().execute(parseResult);
    });
    cl.setParameterExceptionHandler(ErrorReporting::usageError);
    cl.setExecutionExceptionHandler(new ErrorReporting(root::verbosity));
    return cl;
  }

  /** -1 quiet, 0 normal, 1 -v, 2 -vv. */
  public int verbosity() {
    return quiet ? -1 : Math.min(2, verbose.length);
  }

  @Override
  public Integer call() throws Exception {
    try {
      CommandLine cl = spec.commandLine();
      CameraTokens cameraTokens = access.cameraTokens(cl);
      ViewerTokens viewerTokens = access.viewerTokens(cl);
      Map<String, URI> pullUris = pulls.parse(cl);
      listen.check(cl);
      limits.check(cl);
      if (demo) {
        listen.demoDefaults(cl);
      }
      tls.check(cl);
      ClusterOptions clusterOptions = cluster.check(cl);
      Map<String, CameraSpec> fileCameras = fileCameras(cl);
      CameraRelay relay = start(build(cl, cameraTokens, viewerTokens, pullUris, fileCameras, clusterOptions));
      ClusterNode node = join(relay, clusterOptions);
      Set<String> pulled = new LinkedHashSet<>(pullUris.keySet());
      fileCameras.forEach((id, spec) -> {
        if (spec.pullUrl() != null) {
          pulled.add(id);
        }
      });
      StartupBanner banner = new StartupBanner(relay, listen.bind, tls, access.viewerTokenRequired(),
          listen.defaultCamera, pulled, demo).recording(recording.describe());
      if (node != null) {
        banner.cluster(clusterOptions.clusterName(), node.nodeName(), cluster.serverList());
      }
      try (ConfigReloader ignored = reloader = watchConfig(cl, relay, cameraTokens, pullUris)) {
        lifecycle.runUntilStopped(relay, node, cl.getOut(), banner,
            demo ? () -> startDemoCamera(relay, cameraTokens.forCamera(listen.defaultCamera)) : null, statusInterval);
      }
      return 0;
    } finally {
      lifecycle.notRunning();
    }
  }

  /** The YAML config file's cameras (empty without one). */
  private Map<String, CameraSpec> fileCameras(CommandLine cl) {
    if (config == null || !YamlConfigFile.isYaml(config)
        || !(cl.getDefaultValueProvider() instanceof EnvironmentDefaults defaults)) {
      return Map.of();
    }
    return defaults.fileCameras(cl.getCommandSpec());
  }

  /** Keeps the relay in step with a YAML config file; null without one. */
  private ConfigReloader watchConfig(CommandLine cl, CameraRelay relay, CameraTokens cameraTokens,
      Map<String, URI> pullUris) {
    if (config == null || !YamlConfigFile.isYaml(config)) {
      return null;
    }
    Map<String, CameraSpec> pinned = new LinkedHashMap<>();
    relay.registry().specs().forEach((id, spec) -> {
      if (pullUris.containsKey(id) || cameraTokens.perCamera().containsKey(id)) {
        pinned.put(id, spec);
      }
    });
    Set<String> keys = EnvironmentDefaults.knownKeys(cl.getCommandSpec());
    YamlConfigFile.Parsed initial;
    try {
      initial = YamlConfigFile.parse(java.nio.file.Files.readString(config), keys);
    } catch (IOException | YamlConfigFile.Invalid e) {
      initial = new YamlConfigFile.Parsed(Map.of(), Map.of()); // read at start already; the next reload says why
    }
    return new ConfigReloader(config, relay.registry(), keys, initial, pinned).start();
  }

  /** Maps the options onto the relay's builder; a usage error for a combination the relay refuses. */
  private CameraRelay build(CommandLine cl, CameraTokens cameraTokens, ViewerTokens viewerTokens,
      Map<String, URI> pullUris, Map<String, CameraSpec> fileCameras, ClusterOptions clusterOptions) {
    CameraRelay.Builder b = CameraRelay.builder();
    listen.applyTo(b);
    serving.applyTo(b);
    access.applyTo(b, cameraTokens, viewerTokens);
    limits.applyTo(b);
    clips.applyTo(b);
    tls.applyTo(b);
    pullUris.forEach(b::pull);
    admin.applyTo(b);
    cluster.applyTo(b, clusterOptions);
    recording.applyTo(cl, b);
    fileCameras.forEach((id, spec) -> { // flags and the environment win over the file
      if (spec.pullUrl() != null && !pullUris.containsKey(id)) {
        b.pull(id, spec.pullUrl());
      }
      if (spec.cameraToken() != null && !cameraTokens.perCamera().containsKey(id)) {
        b.cameraToken(id, spec.cameraToken());
      }
    });
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterException(cl, e.getMessage());
    }
  }

  /** Binds the relay's ports; a port in use or an unreadable keystore is a {@link UserError}. */
  private CameraRelay start(CameraRelay relay) {
    try {
      relay.start();
      return relay;
    } catch (BindException e) {
      relay.close();
      throw new UserError(BindFailureMessage.of(e, listen));
    } catch (IOException e) {
      relay.close();
      throw new UserError(tls.startFailure(e));
    }
  }

  /** Joins the started relay to the cluster (null without --cluster); on failure the relay is closed. */
  private ClusterNode join(CameraRelay relay, ClusterOptions options) {
    try {
      return cluster.join(relay, options);
    } catch (RuntimeException e) {
      relay.close();
      throw e;
    }
  }

  private SimulatedCamera startDemoCamera(CameraRelay relay, String token) {
    if (relay.tcpPort() < 0) {
      throw new ParameterException(spec.commandLine(), "--demo needs the TCP ingest port (remove --tcp-port -1)");
    }
    return SimulatedCamera.builder()
        .relay("127.0.0.1", relay.tcpPort())
        .tls(tls.demoCameraTls())
        .cameraId(listen.defaultCamera)
        .token(token)
        .fps(15)
        .size(640, 480)
        .firmware("camrelay-demo " + VersionProvider.version())
        .build()
        .start();
  }

  /** Completes with the running relay once every port is bound (tests use it). */
  CompletableFuture<CameraRelay> started() {
    return lifecycle.started();
  }

  /** Re-reads the YAML config file now, as SIGHUP does; false if there is none or it cannot be used. */
  boolean reloadConfig() {
    ConfigReloader r = reloader;
    return r != null && r.reload("request");
  }

  /** Stops a running relay; call() then returns 0. */
  void shutdown() {
    lifecycle.shutdown();
  }
}
