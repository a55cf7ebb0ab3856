package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cluster.ClusterOptions;
import dev.camrelay.cluster.NatsCredentials;
import dev.camrelay.cluster.NatsServers;
import dev.camrelay.cluster.NatsTls;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** --cluster and its NATS options: parsed from flags, the environment and the config file, and checked. */
class ClusterCliOptionsTest {
  @TempDir Path dir;

  private static ClusterOptions parse(Map<String, String> env, String... args) {
    CommandLine cl = CamrelayCommand.commandLine(env);
    cl.parseArgs(args);
    return ((CamrelayCommand) cl.getCommand()).cluster.check(cl);
  }

  @Test
  void withoutClusterTheRelayRunsAlone() {
    assertThat(parse(Map.of())).isNull();
  }

  @Test
  void serversAreCommaSeparatedAndTheClusterNameDefaultsToCamrelay() {
    ClusterOptions o = parse(Map.of(), "--cluster", "nats://n1:4222,tls://n2:4222", "--node-name", "node-a");
    assertThat(o.servers()).containsExactly(URI.create("nats://n1:4222"), URI.create("tls://n2:4222"));
    assertThat(o.clusterName()).isEqualTo("camrelay");
    assertThat(o.nodeName()).isEqualTo("node-a");
    assertThat(o.tls()).isFalse();
    assertThat(o.credentialsFile()).isNull();
  }

  @Test
  void aNodeOrClusterMayBeNamedLikeASubcommand() {
    ClusterOptions o = parse(Map.of(), "--cluster", "nats://n1:4222", "--node-name", "bench", "--cluster-name",
        "probe");
    assertThat(o.nodeName()).isEqualTo("bench");
    assertThat(o.clusterName()).isEqualTo("probe");
  }

  @Test
  void everyClusterOptionComesFromTheEnvironmentAndAYamlConfigFile() throws Exception {
    Path creds = Files.writeString(dir.resolve("nats.creds"), "not read by the CLI");
    Path config = dir.resolve("camrelay.yaml");
    Files.writeString(config, """
        cluster: [nats://n1:4222, nats://n2:4222]
        node-name: from-file
        cluster-creds: %s
        """.formatted(creds));
    ClusterOptions o = parse(Map.of("CAMRELAY_CLUSTER_NAME", "farm", "CAMRELAY_CLUSTER_TLS", "true"),
        "--config", config.toString());
    assertThat(o.servers()).containsExactly(URI.create("nats://n1:4222"), URI.create("nats://n2:4222"));
    assertThat(o.nodeName()).isEqualTo("from-file");
    assertThat(o.clusterName()).isEqualTo("farm");
    assertThat(o.credentialsFile()).isEqualTo(creds);
    assertThat(o.tls()).isTrue();
  }

  @Test
  void aTrustStoreImpliesTlsAndItsPasswordComesFromTheEnvironment() throws Exception {
    Path store = Files.writeString(dir.resolve("ca.p12"), "x");
    ClusterOptions o = parse(Map.of("CAMRELAY_CLUSTER_TRUSTSTORE_PASSWORD", "pw"), "--cluster", "nats://n1:4222",
        "--cluster-truststore", store.toString());
    assertThat(o.tls()).isTrue();
    assertThat(o.trustStore()).isEqualTo(store);
    assertThat(o.trustStorePassword()).containsExactly('p', 'w');
  }

  @ParameterizedTest
  @ValueSource(strings = {"--cluster-name=farm", "--node-name=a", "--cluster-tls", "--cluster-token-file=t"})
  void aClusterOptionWithoutClusterIsAUsageErrorNamingIt(String option) {
    Cli.Result r = Cli.run(option);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("camrelay: " + option.replaceFirst("=.*", "") + " needs --cluster");
  }

  @Test
  void aUrlThatIsNotNatsIsAUsageErrorThatNeverShowsItsUserInfo() {
    Cli.Result r = Cli.run("--cluster", "http://alice:s3cret@n1:4222");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'http://n1:4222' is not a NATS server URL (want nats://host:4222")
        .doesNotContain("s3cret");
  }

  @Test
  void aNodeNameThatCannotBeASubjectTokenIsAUsageError() {
    Cli.Result r = Cli.run("--cluster", "nats://n1:4222", "--node-name", "a.b");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--node-name: node name must be 1..64 of A-Z a-z 0-9 _ -: a.b");
    r = Cli.run("--cluster", "nats://n1:4222", "--cluster-name", "farm*");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--cluster-name: cluster name must be");
  }

  @Test
  void credentialsAndATokenFileTogetherAreAUsageError() throws Exception {
    Path creds = Files.writeString(dir.resolve("nats.creds"), "x");
    Path token = Files.writeString(dir.resolve("nats.token"), "x");
    Cli.Result r = Cli.run("--cluster", "nats://n1:4222", "--cluster-creds", creds.toString(),
        "--cluster-token-file", token.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--cluster-creds and --cluster-token-file are alternatives");
  }

  @Test
  void aMissingCredentialsFileIsNamedWithItsOption() {
    Path missing = dir.resolve("nope.creds");
    Cli.Result r = Cli.run("--cluster", "nats://n1:4222", "--cluster-creds", missing.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("camrelay: NATS credentials file " + missing + " does not exist (--cluster-creds)"
        + System.lineSeparator());
  }

  @Test
  void aTrustStorePasswordWithoutATrustStoreIsAUsageError() {
    Cli.Result r = Cli.run("--cluster", "nats://n1:4222", "--cluster-truststore-password", "pw");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--cluster-truststore-password needs --cluster-truststore");
  }

  @Test
  void helpListsTheClusterOptions() {
    assertThat(Cli.run("--help").out()).contains("--cluster=URL[,URL...]", "--cluster-name", "--node-name",
        "--cluster-creds", "--cluster-token-file", "--cluster-tls", "--cluster-truststore");
  }

  @Test
  void unreachableNatsAtStartIsOneLineAndExit1WithoutTheTokenOrAStackTrace() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    Path token = Files.writeString(dir.resolve("nats.token"), "t0k3n-never-shown");
    Cli.Result r = Cli.run("--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0", "--http-port", "0",
        "--cluster", "nats://127.0.0.1:" + port, "--cluster-token-file", token.toString(), "--node-name", "a");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("camrelay: cannot join the cluster at nats://127.0.0.1:" + port + ": ")
        .doesNotContain("t0k3n").doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(r.err().lines().filter(l -> l.startsWith("camrelay:"))).hasSize(1);
  }

  @Test
  void aJoinedRelayNamesItsClusterAndNodeInTheBannerAndLeavesNatsWhenItStops() throws Exception {
    try (NatsServers nats = NatsServers.single()) {
      Cli.Running r = Cli.start(Map.of(), "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
          "--http-port", "0", "--status-interval", "0", "--cluster", nats.url(0).toString(), "--node-name", "n1");
      assertThat(r.out()).contains("Cluster    'camrelay' as node 'n1' via " + nats.url(0));
      assertThat(r.relay().nodeName()).isEqualTo("n1"); // /api/cameras here agrees with the other nodes
      Await.until("the node's NATS connection", () -> nats.connections(0) == 1);
      assertThat(r.stop().exitCode()).isZero();
      Await.until("the node gone from NATS", () -> nats.connections(0) == 0);
    }
  }

  @Test
  void withClusterTlsAndATrustStoreTheRelayJoinsATlsNatsAndWithoutTheCaItExitsWithOneLineSayingWhy()
      throws Exception {
    NatsTls tls = NatsTls.create(dir);
    Path store = tls.trustStore(dir.resolve("ca.p12"), "pw".toCharArray());
    try (NatsServers nats = NatsServers.singleWithTls(tls)) {
      String url = nats.url(0).toString();
      Cli.Running r = Cli.start(Map.of("CAMRELAY_CLUSTER_TRUSTSTORE_PASSWORD", "pw"), "--bind", "127.0.0.1",
          "--tcp-port", "0", "--ws-port", "0", "--http-port", "0", "--status-interval", "0", "--cluster", url,
          "--cluster-tls", "--cluster-truststore", store.toString(), "--node-name", "n1");
      assertThat(r.out()).contains("Cluster    'camrelay' as node 'n1' via " + url);
      Await.until("the node's TLS connection", () -> nats.connections(0) == 1);
      assertThat(r.stop().exitCode()).isZero();

      Cli.Result refused = Cli.run("--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0", "--http-port", "0",
          "--cluster", url, "--cluster-tls", "--node-name", "n2");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).startsWith("camrelay: cannot join the cluster at " + url + ": ")
          .contains("the server's certificate is not trusted").doesNotContain("\tat ");
      assertThat(refused.err().lines().filter(l -> l.startsWith("camrelay:"))).hasSize(1);
    }
  }

  @Test
  void withAUserCredsFileTheRelayJoinsANatsServerInOperatorMode() throws Exception {
    NatsCredentials credentials = NatsCredentials.create();
    Path creds = credentials.userCreds(dir.resolve("node.creds"), "node");
    try (NatsServers nats = NatsServers.singleWithOperator(credentials)) {
      Cli.Running r = Cli.start(Map.of(), "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
          "--http-port", "0", "--status-interval", "0", "--cluster", nats.url(0).toString(), "--cluster-creds",
          creds.toString(), "--node-name", "n1");
      assertThat(r.out()).contains("Cluster    'camrelay' as node 'n1' via " + nats.url(0));
      Await.until("the node's NATS connection", () -> nats.connections(0) == 1);
      assertThat(r.stop().exitCode()).isZero();
    }
  }

  @Test
  void userInfoIsRemovedFromEveryUrlInAMessage() {
    assertThat(ClusterCliOptions.redact("refused by nats://u:p@n1:4222 and tls://tok@n2:4222/x"))
        .isEqualTo("refused by nats://n1:4222 and tls://n2:4222/x");
  }
}
