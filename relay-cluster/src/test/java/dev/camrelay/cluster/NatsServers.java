package dev.camrelay.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real {@code nats-server} processes for tests, on free loopback ports: one server ({@link #single()}) or a cluster
 * of servers joined by routes ({@link #cluster(int)}). Each server has a client port, a monitoring port and (in a
 * cluster) a route port; the monitoring endpoints ({@code /varz}, {@code /subsz}, {@code /connz}) are read for
 * assertions about bus traffic and subscriptions.
 *
 * <p>{@link #kill(int)} sends SIGKILL (no goodbye to clients or routes); {@link #restart(int)} starts the server
 * again on the same ports. Server logs go to a file in a temporary directory ({@link #log(int)}), removed on
 * {@link #close()}. The binary is {@code $NATS_SERVER} if set, else Debian's {@code /usr/sbin/nats-server}, else
 * {@code nats-server} on the PATH.
 */
public final class NatsServers implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final List<Server> servers = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Client URL scheme: {@code tls} when the servers want TLS. */
  private final String scheme;

  private NatsServers(int count, int maxPayload) throws IOException {
    this(count, maxPayload, null, "nats");
  }

  /** {@code settings}: extra nats-server configuration (authorization, TLS), or null. */
  private NatsServers(int count, int maxPayload, String settings, String scheme) throws IOException {
    this.scheme = scheme;
    this.dir = Files.createTempDirectory("nats-servers");
    for (int i = 0; i < count; i++) {
      servers.add(new Server(i, freePort(), freePort(), count > 1 ? freePort() : 0));
    }
    try {
      for (Server s : servers) {
        s.writeConfig(maxPayload, settings);
        s.start();
      }
      for (int i = 0; i < count; i++) {
        awaitReady(i);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** One server with the default max payload (1 MB). */
  public static NatsServers single() throws IOException {
    return new NatsServers(1, 0);
  }

  /** One server whose {@code max_payload} is {@code bytes}. */
  public static NatsServers single(int maxPayloadBytes) throws IOException {
    return new NatsServers(1, maxPayloadBytes);
  }

  /** One server that wants clients to present {@code token}. */
  public static NatsServers singleWithToken(String token) throws IOException {
    return new NatsServers(1, 0, "authorization { token: \"" + token + "\" }", "nats");
  }

  /** One server in operator mode that takes the users of {@code credentials}' account ({@code .creds} files). */
  public static NatsServers singleWithOperator(NatsCredentials credentials) throws IOException {
    return new NatsServers(1, 0, credentials.serverConfig(), "nats");
  }

  /**
   * One server that wants TLS from every client, with {@code tls}' server certificate; its {@link #url(int)} is
   * {@code tls://127.0.0.1:port}. The monitoring port stays plain HTTP.
   */
  public static NatsServers singleWithTls(NatsTls tls) throws IOException {
    return new NatsServers(1, 0, "tls {\n  cert_file: \"" + tls.serverCert() + "\"\n  key_file: \""
        + tls.serverKey() + "\"\n}", "tls");
  }

  /** {@code count} servers, each routed to all others; returns once every route is up. */
  public static NatsServers cluster(int count) throws IOException {
    if (count < 2) {
      throw new IllegalArgumentException("a cluster needs at least 2 servers");
    }
    return new NatsServers(count, 0);
  }

  public int size() {
    return servers.size();
  }

  /** Client URL of server {@code i}, e.g. {@code nats://127.0.0.1:40123} ({@code tls://} for a TLS server). */
  public URI url(int i) {
    return URI.create(scheme + "://127.0.0.1:" + servers.get(i).clientPort);
  }

  /** Client URLs of every server, in order. */
  public List<URI> urls() {
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      urls.add(url(i));
    }
    return urls;
  }

  public int clientPort(int i) {
    return servers.get(i).clientPort;
  }

  public int monitorPort(int i) {
    return servers.get(i).monitorPort;
  }

  /** Where server {@code i} writes its log. */
  public Path log(int i) {
    return servers.get(i).log;
  }

  /** Whether server {@code i}'s process is running. */
  public boolean running(int i) {
    Process p = servers.get(i).process;
    return p != null && p.isAlive();
  }

  /** SIGKILLs server {@code i} and waits for it to be gone. */
  public void kill(int i) {
    servers.get(i).kill();
  }

  /** Starts server {@code i} again on the same ports (killing it first if it runs) and waits until it is ready. */
  public void restart(int i) throws IOException {
    Server s = servers.get(i);
    s.kill();
    s.start();
    awaitReady(i);
  }

  /** Server {@code i}'s {@code /varz}. */
  public JsonObject varz(int i) {
    return get(i, "/varz").getAsJsonObject();
  }

  /** Messages server {@code i} received from clients and routes. */
  public long inMsgs(int i) {
    return varz(i).get("in_msgs").getAsLong();
  }

  /** Messages server {@code i} sent to clients and routes. */
  public long outMsgs(int i) {
    return varz(i).get("out_msgs").getAsLong();
  }

  public long inBytes(int i) {
    return varz(i).get("in_bytes").getAsLong();
  }

  public long outBytes(int i) {
    return varz(i).get("out_bytes").getAsLong();
  }

  /** Total subscriptions on server {@code i} (clients, routes and the server's own). */
  public long subscriptionCount(int i) {
    return get(i, "/subsz").getAsJsonObject().get("num_subscriptions").getAsLong();
  }

  /** Subjects of the client subscriptions on server {@code i} (one entry per subscription), from {@code /connz}. */
  public List<String> clientSubscriptions(int i) {
    JsonObject connz = get(i, "/connz?subs=1&limit=1024").getAsJsonObject();
    List<String> subjects = new ArrayList<>();
    JsonElement conns = connz.get("connections");
    if (conns == null || conns.isJsonNull()) {
      return subjects;
    }
    for (JsonElement c : conns.getAsJsonArray()) {
      JsonElement subs = c.getAsJsonObject().get("subscriptions_list");
      if (subs != null && !subs.isJsonNull()) {
        subs.getAsJsonArray().forEach(s -> subjects.add(s.getAsString()));
      }
    }
    return subjects;
  }

  /** Client subscriptions on server {@code i} whose subject starts with {@code prefix}. */
  public List<String> clientSubscriptions(int i, String prefix) {
    return clientSubscriptions(i).stream().filter(s -> s.startsWith(prefix)).collect(Collectors.toList());
  }

  /** Client connections on server {@code i} now. */
  public int connections(int i) {
    return varz(i).get("connections").getAsInt();
  }

  /** A monitoring endpoint of server {@code i} as JSON, e.g. {@code "/routez"}. */
  public JsonElement get(int i, String pathAndQuery) {
    URI uri = URI.create("http://127.0.0.1:" + monitorPort(i) + pathAndQuery);
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
      }
      return JsonParser.parseString(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    for (Server s : servers) {
      s.kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp dir left behind is harmless
    }
  }

  /** Polls until server {@code i} is healthy, accepts clients and (in a cluster) has a route to every other. */
  private void awaitReady(int i) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "not started";
    while (System.nanoTime() < deadline) {
      if (!running(i)) {
        throw new IOException("nats-server " + i + " exited: " + tail(i));
      }
      try (Socket ignored = new Socket("127.0.0.1", clientPort(i))) {
        JsonObject varz = varz(i);
        int routes = get(i, "/routez").getAsJsonObject().get("num_routes").getAsInt();
        if (routes >= servers.size() - 1 && varz.has("server_id")) {
          return;
        }
        last = routes + " of " + (servers.size() - 1) + " routes";
      } catch (IOException | RuntimeException e) {
        last = e.toString();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException("nats-server " + i + " not ready within " + START_TIMEOUT + " (" + last + "): " + tail(i));
  }

  private String tail(int i) {
    try {
      List<String> lines = Files.readAllLines(log(i));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String binary() {
    String env = System.getenv("NATS_SERVER");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    for (String p : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return "nats-server";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private final class Server {
    final int index;
    final int clientPort;
    final int monitorPort;
    final int routePort;
    final Path config;
    final Path log;
    Process process;

    Server(int index, int clientPort, int monitorPort, int routePort) {
      this.index = index;
      this.clientPort = clientPort;
      this.monitorPort = monitorPort;
      this.routePort = routePort;
      this.config = dir.resolve("server-" + index + ".conf");
      this.log = dir.resolve("server-" + index + ".log");
    }

    void writeConfig(int maxPayload, String settings) throws IOException {
      StringBuilder c = new StringBuilder();
      c.append("server_name: s").append(index).append('\n');
      c.append("listen: \"127.0.0.1:").append(clientPort).append("\"\n");
      c.append("http: \"127.0.0.1:").append(monitorPort).append("\"\n");
      if (settings != null) {
        c.append(settings).append('\n');
      }
      if (maxPayload > 0) {
        c.append("max_payload: ").append(maxPayload).append('\n');
      }
      if (routePort > 0) {
        c.append("cluster {\n  name: test\n  listen: \"127.0.0.1:").append(routePort).append("\"\n  routes: [\n");
        for (Server other : servers) {
          if (other != this) {
            c.append("    \"nats-route://127.0.0.1:").append(other.routePort).append("\"\n");
          }
        }
        c.append("  ]\n}\n");
      }
      Files.writeString(config, c.toString());
    }

    void start() throws IOException {
      process = new ProcessBuilder(binary(), "-c", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    }

    void kill() {
      Process p = process;
      if (p == null) {
        return;
      }
      p.destroyForcibly(); // SIGKILL on Linux
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
