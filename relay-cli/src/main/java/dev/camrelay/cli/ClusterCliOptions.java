package dev.camrelay.cli;

import dev.camrelay.cluster.ClusterNode;
import dev.camrelay.cluster.ClusterOptions;
import dev.camrelay.relay.CameraRelay;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --cluster} and the NATS options that go with it: join this relay to other relay nodes through NATS (see the
 * README's "Running more than one relay"). Without {@code --cluster} the relay runs alone and the other options are
 * usage errors. URLs are shown without their user-info part, so a {@code nats://user:pass@host} never reaches a log.
 */
final class ClusterCliOptions {
  private static final Set<String> SCHEMES = Set.of("nats", "tls");
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

  @Option(names = "--cluster", paramLabel = "URL[,URL...]", split = ",",
      description = "Join the relay nodes that share these NATS servers (nats://host:4222 or tls://host:4222,"
          + " comma-separated; any one that answers will do). A camera on any node can then be watched on every"
          + " node.")
  List<URI> servers = new ArrayList<>();

  @Option(names = "--cluster-name", paramLabel = "NAME",
      description = "The cluster to join, so several clusters can share one NATS (A-Z a-z 0-9 _ -; default:"
          + " camrelay).")
  String clusterName;

  @Option(names = "--node-name", paramLabel = "NAME",
      description = "This node's name, unique in the cluster and shown beside its cameras (A-Z a-z 0-9 _ -;"
          + " default: the host name).")
  String nodeName;

  @Option(names = "--cluster-creds", paramLabel = "FILE",
      description = "NATS credentials file (.creds: user JWT and NKey seed) for the NATS servers.")
  Path credentialsFile;

  @Option(names = "--cluster-token-file", paramLabel = "FILE",
      description = "File holding the NATS servers' auth token (a file, so the token stays out of the process"
          + " list).")
  Path tokenFile;

  @Option(names = "--cluster-tls",
      description = "Require TLS to the NATS servers (tls:// URLs require it too).")
  boolean tls;

  @Option(names = "--cluster-truststore", paramLabel = "FILE",
      description = "PKCS#12 or JKS trust store for the NATS servers' certificates (default: the JVM's); implies"
          + " --cluster-tls.")
  Path trustStore;

  @Option(names = "--cluster-truststore-password", paramLabel = "PASSWORD",
      description = "Trust store password (prefer CAMRELAY_CLUSTER_TRUSTSTORE_PASSWORD, which stays out of the"
          + " process list).")
  String trustStorePassword;

  boolean enabled() {
    return !servers.isEmpty();
  }

  /**
   * The options for {@link ClusterNode#join}, or null without {@code --cluster}. A usage error for a bad URL or
   * name, a cluster option without {@code --cluster} or contradicting ones; a user error for a file that cannot be
   * read.
   */
  ClusterOptions check(CommandLine cl) {
    if (!enabled()) {
      String stray = stray();
      if (stray != null) {
        throw new ParameterException(cl, stray + " needs --cluster");
      }
      return null;
    }
    for (URI server : servers) {
      String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
      if (!SCHEMES.contains(scheme) || server.getHost() == null) {
        throw new ParameterException(cl, "--cluster: '" + redact(server.toString())
            + "' is not a NATS server URL (want nats://host:4222 or tls://host:4222)");
      }
    }
    if (credentialsFile != null && tokenFile != null) {
      throw new ParameterException(cl, "--cluster-creds and --cluster-token-file are alternatives: give one");
    }
    if (trustStorePassword != null && trustStore == null) {
      throw new ParameterException(cl, "--cluster-truststore-password needs --cluster-truststore");
    }
    ReadableFile.check(credentialsFile, "NATS credentials file", "--cluster-creds");
    ReadableFile.check(tokenFile, "NATS token file", "--cluster-token-file");
    ReadableFile.check(trustStore, "NATS trust store", "--cluster-truststore");
    ClusterOptions.Builder b = ClusterOptions.builder(servers)
        .credentialsFile(credentialsFile)
        .tokenFile(tokenFile)
        .tls(tls || trustStore != null);
    if (clusterName != null) {
      b.clusterName(clusterName);
    }
    if (nodeName != null) {
      b.nodeName(nodeName);
    }
    if (trustStore != null) {
      b.trustStore(trustStore, trustStorePassword == null ? new char[0] : trustStorePassword.toCharArray());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, (e.getMessage().startsWith("node") ? "--node-name: " : "--cluster-name: ")
          + e.getMessage());
    }
  }

  /** Names the relay as the cluster knows this node, so /api/cameras here and elsewhere agree. */
  void applyTo(CameraRelay.Builder relay, ClusterOptions options) {
    if (options != null) {
      relay.nodeName(options.nodeName());
    }
  }

  /**
   * Joins the started {@code relay} to the cluster; null without {@code --cluster}. A server that cannot be reached or
   * refuses the credentials is a {@link UserError} saying which servers were tried.
   */
  ClusterNode join(CameraRelay relay, ClusterOptions options) {
    if (options == null) {
      return null;
    }
    try {
      return ClusterNode.join(relay, options);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : redact(e.getMessage());
      throw new UserError("cannot join the cluster at " + serverList() + ": " + why);
    }
  }

  /** The servers as the banner and errors show them: comma-separated, without user info. */
  String serverList() {
    return servers.stream().map(u -> redact(u.toString())).collect(Collectors.joining(", "));
  }

  private String stray() {
    if (clusterName != null) {
      return "--cluster-name";
    }
    if (nodeName != null) {
      return "--node-name";
    }
    if (credentialsFile != null) {
      return "--cluster-creds";
    }
    if (tokenFile != null) {
      return "--cluster-token-file";
    }
    if (tls) {
      return "--cluster-tls";
    }
    if (trustStore != null) {
      return "--cluster-truststore";
    }
    return trustStorePassword != null ? "--cluster-truststore-password" : null;
  }

  /** {@code text} with the user-info part of every URL in it removed ({@code nats://u:p@h} becomes {@code nats://h}). */
  static String redact(String text) {
    return USER_INFO.matcher(text).replaceAll("");
  }
}
