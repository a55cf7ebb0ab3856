package dev.camrelay.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a relay joins a cluster: the NATS servers, the cluster's name (several clusters may share one NATS), this
 * node's name, and the NATS credentials and TLS the servers want. Build with {@link #builder(List)}.
 */
public final class ClusterOptions {
  private final List<URI> servers;
  private final String clusterName;
  private final String nodeName;
  private final Path credentialsFile;
  private final Path tokenFile;
  private final boolean tls;
  private final Path trustStore;
  private final char[] trustStorePassword;
  private final Duration nodeTimeout;

  private ClusterOptions(Builder b) {
    this.servers = List.copyOf(b.servers);
    this.clusterName = b.clusterName;
    this.nodeName = b.nodeName;
    this.credentialsFile = b.credentialsFile;
    this.tokenFile = b.tokenFile;
    this.tls = b.tls;
    this.trustStore = b.trustStore;
    this.trustStorePassword = b.trustStorePassword;
    this.nodeTimeout = b.nodeTimeout;
  }

  /** Options for the NATS servers {@code servers} ({@code nats://host:4222}, {@code tls://host:4222}). */
  public static Builder builder(List<URI> servers) {
    return new Builder(servers);
  }

  public List<URI> servers() {
    return servers;
  }

  /** The cluster's name, the first token of every subject: nodes see only nodes of the same cluster. */
  public String clusterName() {
    return clusterName;
  }

  /**
   * This node's name, unique in the cluster; shown beside each camera in {@code /api/cameras}. Null when not set: the
   * node is then named as the relay is ({@code CameraRelay.Builder.nodeName}, by default the host name); see
   * {@link ClusterNode#nodeName()} for the name in use.
   */
  public String nodeName() {
    return nodeName;
  }

  /** A NATS {@code .creds} file (JWT and NKey seed), or null. */
  public Path credentialsFile() {
    return credentialsFile;
  }

  /** A file holding the NATS server's auth token, or null. */
  public Path tokenFile() {
    return tokenFile;
  }

  /** Whether to require TLS to the NATS servers (also implied by {@code tls://} URLs). */
  public boolean tls() {
    return tls;
  }

  /** A PKCS#12 or JKS trust store for the NATS servers' certificates, or null for the JVM's default. */
  public Path trustStore() {
    return trustStore;
  }

  public char[] trustStorePassword() {
    return trustStorePassword == null ? null : trustStorePassword.clone();
  }

  /** How long a node may stay silent before its cameras are shown offline elsewhere. */
  public Duration nodeTimeout() {
    return nodeTimeout;
  }

  /** Builder; {@link #build()} checks the values. */
  public static final class Builder {
    private final List<URI> servers;
    private String clusterName = "camrelay";
    private String nodeName;
    private Path credentialsFile;
    private Path tokenFile;
    private boolean tls;
    private Path trustStore;
    private char[] trustStorePassword;
    private Duration nodeTimeout = Duration.ofSeconds(5);

    private Builder(List<URI> servers) {
      this.servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
    }

    public Builder clusterName(String name) {
      this.clusterName = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder nodeName(String name) {
      this.nodeName = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder credentialsFile(Path file) {
      this.credentialsFile = file;
      return this;
    }

    public Builder tokenFile(Path file) {
      this.tokenFile = file;
      return this;
    }

    public Builder tls(boolean require) {
      this.tls = require;
      return this;
    }

    public Builder trustStore(Path file, char[] password) {
      this.trustStore = file;
      this.trustStorePassword = password == null ? null : password.clone();
      return this;
    }

    public Builder nodeTimeout(Duration timeout) {
      this.nodeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public ClusterOptions build() {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("at least one NATS server URL is needed");
      }
      // Names become NATS subject tokens: no dots, spaces or wildcards.
      if (!clusterName.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("cluster name must be 1..64 of A-Z a-z 0-9 _ -: " + clusterName);
      }
      if (nodeName != null && !nodeName.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("node name must be 1..64 of A-Z a-z 0-9 _ -: " + nodeName);
      }
      if (nodeTimeout.compareTo(Duration.ofMillis(500)) < 0) {
        throw new IllegalArgumentException("node timeout must be at least 500 ms: " + nodeTimeout);
      }
      return new ClusterOptions(this);
    }
  }
}
