package dev.camrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar recording a camera is killed with SIGKILL mid-segment, then started again on the same folder: the
 * segment it left unfinished is repaired, every file decodes, and every frame the relay had received a second
 * before the kill is in the recording, byte for byte (failsafe, after {@code package}).
 */
@Timeout(180)
@DisabledOnOs(OS.WINDOWS)
class RecordingKillIT {
  private static final Path JAR = Path.of(System.getProperty("camrelay.jar", "target/camrelay.jar"));
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final Pattern HTTP = Pattern.compile("Viewer\\s+http://[^:/]+:(\\d+)/");
  private static final Pattern TCP = Pattern.compile("tcp://[^:/\\s]+:(\\d+)");
  private static final Pattern FRAMES_IN =
      Pattern.compile("camrelay_camera_frames_in_total\\{camera=\"default\",?\\} ([0-9.E]+)");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aKilledRelayLosesAtMostTheLastSecondAndItsSegmentIsRepairedAtTheNextStart() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe")),
        "ffmpeg/ffprobe not installed at /usr/bin");
    Path rec = dir.resolve("rec");
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      frames.add(jpeg(i));
    }
    Process first = start("first", rec);
    int kept;
    AtomicInteger sent = new AtomicInteger();
    try {
      String banner = awaitBanner("first");
      int httpPort = port(HTTP, banner);
      int tcpPort = port(TCP, banner);
      try (Socket camera = new Socket("127.0.0.1", tcpPort)) {
        OutputStream out = camera.getOutputStream();
        Thread sender = new Thread(() -> {
          try {
            for (byte[] f : frames) {
              out.write(f);
              out.flush();
              sent.incrementAndGet();
              Thread.sleep(40);
            }
          } catch (Exception e) {
            // the relay was killed
          }
        });
        sender.setDaemon(true);
        sender.start();
        Await.until("a second of frames sent", () -> sent.get() >= 25);
        kept = (int) Await.until("the relay has frames", () -> framesIn(httpPort), n -> n >= 20).longValue();
        long keptAt = System.nanoTime();
        Await.until("another second of frames", () -> System.nanoTime() - keptAt > TimeUnit.MILLISECONDS
            .toNanos(1200) && sent.get() < frames.size());
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no finishing
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);
      }
    } finally {
      first.destroyForcibly();
    }

    Process second = start("second", rec);
    try {
      awaitBanner("second");
    } finally {
      second.destroy();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(dir.resolve("second.err"))).contains("repaired 1 unfinished segment(s)");

    List<Path> segments = RecordedFiles.segments(rec, "default");
    assertThat(segments).isNotEmpty();
    List<byte[]> recorded = new ArrayList<>();
    for (Path s : segments) {
      List<byte[]> jpegs = RecordedFiles.jpegs(s);
      assertThat(run("/usr/bin/ffmpeg", "-v", "error", "-nostdin", "-i", s.toString(), "-f", "null", "-"))
          .as("ffmpeg decoding %s", s).isEmpty();
      assertThat(Long.parseLong(run("/usr/bin/ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
          "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", s.toString()).trim()))
          .isEqualTo(jpegs.size());
      recorded.addAll(jpegs);
    }
    System.out.printf("received by the relay 1.2 s before the kill: %d, recorded: %d, sent: %d%n", kept,
        recorded.size(), sent.get());
    assertThat(recorded.size()).as("frames received a second before the kill").isGreaterThanOrEqualTo(kept);
    assertThat(recorded.size()).isLessThanOrEqualTo(sent.get());
    for (int i = 0; i < recorded.size(); i++) {
      assertThat(recorded.get(i)).as("frame %d", i).isEqualTo(frames.get(i));
    }
  }

  private Process start(String name, Path rec) throws Exception {
    List<String> cmd = List.of(JAVA, "-jar", JAR.toString(), "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port",
        "0", "--http-port", "0", "--rtsp-port", "0", "--status-interval", "0", "--record-dir", rec.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CAMRELAY_"));
    return pb.start();
  }

  private String awaitBanner(String name) throws Exception {
    return Await.until("the banner of the " + name + " relay", () -> Files.readString(dir.resolve(name + ".out")),
        s -> s.contains("Press Ctrl-C to stop."));
  }

  private static int port(Pattern p, String banner) {
    Matcher m = p.matcher(banner);
    assertThat(m.find()).as("%s in %s", p, banner).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private long framesIn(int httpPort) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = FRAMES_IN.matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  private static byte[] jpeg(int n) throws Exception {
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color((n * 37) & 0xff, (n * 91) & 0xff, (n * 53) & 0xff));
    g.fillRect(0, 0, 160, 120);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 30));
    g.drawString("#" + n, 20, 60);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  private String run(String... command) throws Exception {
    Path out = Files.createTempFile(dir, "tool", ".out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }
}
