package dev.camrelay.cli.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camrelay firmware} against a relay started as a user starts it, with a Java camera that updates itself as the
 * firmware does ({@link OtaCamera}): it prints one line per state until the camera confirms the new image, and a
 * failed update's reason.
 */
@Timeout(120)
class FirmwareCommandTest {
  private static final String ADMIN = "adm1n-cli";
  private static final Map<String, String> ENV = Map.of("CAMRELAY_ADMIN_TOKEN", ADMIN,
      "CAMRELAY_CAMERA_TOKEN", "garage=cam-k3y");
  private static final String[] RELAY = {"--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0",
      "--http-port", "0", "--no-mdns"};
  @TempDir Path dir;

  private Path image(int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return Files.write(dir.resolve("camrelay_cam.ino.bin"), bytes);
  }

  @Test
  void anUpdateIsFollowedFromTheOfferToTheCamerasConfirmation() throws Exception {
    Path image = image(200_000);
    try (Cli.Running relay = Cli.start(ENV, RELAY);
        OtaCamera camera = new OtaCamera(relay.relay().tcpPort(), "garage", "cam-k3y", false)) {
      String url = "http://127.0.0.1:" + relay.relay().httpPort();
      Cli.Result r = Cli.run(ENV, "firmware", "garage", image.toString(), "--relay", url, "--firmware-version", "2.0.1");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("camera 'garage' took the update: 200000 bytes, sha256 ")
          .contains("confirmed: version 2.0.1");
      assertThat(camera.installed.get(10, TimeUnit.SECONDS)).isEqualTo(Files.readAllBytes(image));
    }
  }

  @Test
  void aDamagedDownloadEndsAsFailedWithTheCamerasReason() throws Exception {
    Path image = image(50_000);
    try (Cli.Running relay = Cli.start(ENV, RELAY);
        OtaCamera camera = new OtaCamera(relay.relay().tcpPort(), "garage", "cam-k3y", true)) {
      String url = "http://127.0.0.1:" + relay.relay().httpPort();
      Cli.Result r = Cli.run(ENV, "firmware", "garage", image.toString(), "--relay", url);
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out()).contains("failed: sha256 mismatch: the image is damaged");
      assertThat(camera.installed).isNotDone();
    }
  }

  @Test
  void itsHelpNamesItsOptions() {
    Cli.Result help = Cli.run("firmware", "--help");
    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out()).contains("--relay").contains("--admin-token").contains("--firmware-version")
        .contains("--no-wait");
  }

  @Test
  void mistakesGetAClearMessage() throws Exception {
    Path image = image(1000);
    try (Cli.Running relay = Cli.start(ENV, RELAY)) {
      String url = "http://127.0.0.1:" + relay.relay().httpPort();
      Cli.Result offline = Cli.run(ENV, "firmware", "garage", image.toString(), "--relay", url);
      assertThat(offline.exitCode()).isEqualTo(1);
      assertThat(offline.err()).contains("409").contains("not connected over the framed protocol");
      Cli.Result wrong = Cli.run(Map.of(), "firmware", "garage", image.toString(), "--relay", url,
          "--admin-token", "nope");
      assertThat(wrong.err()).contains("403").contains("the admin token is not valid");
      assertThat(Cli.run(Map.of(), "firmware", "garage", image.toString(), "--relay", url).err())
          .contains("admin token is needed");
      assertThat(Cli.run(ENV, "firmware", "garage", dir.resolve("missing.bin").toString(), "--relay", url).err())
          .contains("no such file");
    }
    Cli.Result down = Cli.run(ENV, "firmware", "garage", image.toString(), "--relay", "http://127.0.0.1:1");
    assertThat(down.err()).contains("cannot reach the relay at http://127.0.0.1:1");
  }
}
