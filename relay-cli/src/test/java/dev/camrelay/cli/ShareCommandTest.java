package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegInfo;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camrelay share} prints URLs that really open one camera on a running relay (started in-process as a user
 * starts it), and the relay's scoped {@code --viewer-token ID=TOKEN} works from the command line and environment.
 */
@Timeout(90)
class ShareCommandTest {
  private static final String VIEWER_TOKEN = "s3cret-viewer";
  private static final String SHARE_KEY = "a-share-key-of-26-letters";
  private static final String[] RELAY = {"--demo", "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
      "--http-port", "0"};
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private HttpResponse<byte[]> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String printed(String out, String label) {
    Matcher m = Pattern.compile("^  " + label + " +(\\S+)$", Pattern.MULTILINE).matcher(out);
    assertThat(m.find()).as(label + " line in:\n" + out).isTrue();
    return m.group(1);
  }

  private void assertSnapshotWorks(String snapshotUrl) throws Exception {
    HttpResponse<byte[]> snapshot = Await.until("the demo camera's first frame through the share link",
        () -> get(snapshotUrl), r -> r.statusCode() != 503 && r.statusCode() != 404);
    assertThat(snapshot.statusCode()).isEqualTo(200);
    assertThat(JpegInfo.of(JpegFrame.parse(snapshot.body())).width()).isEqualTo(640);
  }

  @Test
  void theSnapshotMjpegAndPageUrlsItPrintsWorkOnTheRelayForThatCameraOnly() throws Exception {
    Map<String, String> env = Map.of("CAMRELAY_VIEWER_TOKEN", VIEWER_TOKEN);
    try (Cli.Running relay = Cli.start(env, RELAY)) {
      String base = "http://127.0.0.1:" + relay.relay().httpPort();
      Cli.Result share = Cli.run(env, "share", "default", "--for", "2h", "--url", base + "/");
      assertThat(share.exitCode()).as(share.err()).isZero();
      String snapshot = printed(share.out(), "Snapshot");
      assertThat(snapshot).startsWith(base + "/cam/default/snapshot.jpg?token=ey");
      assertSnapshotWorks(snapshot);

      String token = snapshot.substring(snapshot.indexOf("?token=") + 7);
      assertThat(printed(share.out(), "Viewer")).isEqualTo(base + "/?token=" + token + "#cam=default");
      assertThat(get(base + "/?token=" + token).statusCode()).isEqualTo(200);
      String cameras = new String(get(base + "/api/cameras?token=" + token).body(), StandardCharsets.UTF_8);
      assertThat(cameras).contains("\"id\":\"default\"");
      String mjpeg = printed(share.out(), "MJPEG");
      assertThat(mjpeg).isEqualTo(base + "/cam/default/stream.mjpeg?token=" + token);
      HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(mjpeg)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = stream.body()) {
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
            t -> assertThat(t).startsWith("multipart/x-mixed-replace"));
      }
      assertThat(get(base + "/cam/garage/snapshot.jpg?token=" + token).statusCode()).isEqualTo(403);
      assertThat(share.out()).contains("valid until").doesNotContain(VIEWER_TOKEN);
    }
  }

  @Test
  void theShareKeyComesFromTheRelaysConfigFileOrTheFlag() throws Exception {
    Path config = dir.resolve("camrelay.properties");
    Files.writeString(config, "share-key=" + SHARE_KEY + "\n");
    try (Cli.Running relay = Cli.start(Map.of("CAMRELAY_CONFIG", config.toString()), RELAY)) {
      String base = "http://127.0.0.1:" + relay.relay().httpPort();
      assertThat(get(base + "/cam/default/snapshot.jpg").statusCode()).as("a share key closes the door").isEqualTo(401);
      Cli.Result fromFile = Cli.run("--config", config.toString(), "share", "default", "--url", base);
      assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
      assertSnapshotWorks(printed(fromFile.out(), "Snapshot"));
      Cli.Result fromFlag = Cli.run("share", "default", "--for", "10m", "--share-key", SHARE_KEY, "--url", base);
      assertThat(fromFlag.exitCode()).as(fromFlag.err()).isZero();
      assertSnapshotWorks(printed(fromFlag.out(), "Snapshot"));
      Cli.Result wrongKey = Cli.run("share", "default", "--share-key", "not-the-relays-key", "--url", base);
      assertThat(get(printed(wrongKey.out(), "Snapshot")).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void badRequestsAreRefusedWithUsageErrors() {
    Map<String, String> env = Map.of("CAMRELAY_VIEWER_TOKEN", VIEWER_TOKEN);
    assertUsageError(Cli.run(env, "share", "default", "--for", "0"), "--for must be more than 0");
    assertUsageError(Cli.run(env, "share", "default", "--for", "367d"), "at most 366 days");
    assertUsageError(Cli.run(env, "share", "no/such", "--for", "1h"), "invalid camera id");
    assertUsageError(Cli.run(env, "share", "default", "--url", "ftp://relay"), "--url 'ftp://relay' is not usable");
    assertUsageError(Cli.run(env, "share", "default", "--share-key", "short"), "at least 16 characters");
    assertUsageError(Cli.run("share", "default"), "no key to sign the link with");
    assertThat(Cli.run(env, "share", "default", "--for", "366d").exitCode()).isZero();
  }

  private static void assertUsageError(Cli.Result r, String message) {
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message).doesNotContain("\tat ").doesNotContain(VIEWER_TOKEN);
  }

  @Test
  void scopedViewerTokensFromFlagsAndTheEnvironmentOpenOnlyTheirCameras() throws Exception {
    Map<String, String> env = Map.of("CAMRELAY_VIEWER_TOKEN", VIEWER_TOKEN + " porch,default=n3ighb0ur");
    String[] args = {"--viewer-token", "garage=g4rage"};
    String[] all = new String[RELAY.length + args.length];
    System.arraycopy(RELAY, 0, all, 0, RELAY.length);
    System.arraycopy(args, 0, all, RELAY.length, args.length);
    // A flag wins over the environment: the flag's scoped token only.
    try (Cli.Running relay = Cli.start(env, all)) {
      String base = "http://127.0.0.1:" + relay.relay().httpPort();
      assertThat(get(base + "/cam/default/snapshot.jpg?token=g4rage").statusCode()).isEqualTo(403);
      assertThat(get(base + "/cam/default/snapshot.jpg?token=n3ighb0ur").statusCode()).isEqualTo(401);
      assertThat(relay.out()).contains("viewer token");
    }
    try (Cli.Running relay = Cli.start(env, RELAY)) {
      String base = "http://127.0.0.1:" + relay.relay().httpPort();
      assertSnapshotWorks(base + "/cam/default/snapshot.jpg?token=n3ighb0ur");
      assertThat(get(base + "/cam/garage/snapshot.jpg?token=n3ighb0ur").statusCode()).isEqualTo(403);
      assertThat(get(base + "/cam/garage/snapshot.jpg?token=" + VIEWER_TOKEN).statusCode()).isEqualTo(404);
      assertThat(new String(get(base + "/api/cameras?token=n3ighb0ur").body(), StandardCharsets.UTF_8))
          .contains("\"id\":\"default\"");
    }
  }
}
