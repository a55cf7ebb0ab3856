package dev.camrelay.examples.timelapse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.relay.CameraFrame;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TimelapseTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  @Timeout(90)
  void writesEveryThirdFrameOfAFramedCameraByteForByteUnderTimeSortableNames() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path folder = dir.resolve("timelapse");
    List<byte[]> sent = new ArrayList<>();
    try (Timelapse app = new Timelapse("127.0.0.1", 0, 0, 0, "porch", 3, folder, new PrintStream(printed, true))) {
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains("Cameras push to tcp port " + app.relay().tcpPort())
          .contains("Writing 1 frame in 3 of camera 'porch'");
      TimelapseWriter writer = app.writer();
      // A camera speaking the framed protocol, numbering its frames 101..110 itself.
      try (Socket camera = new Socket("127.0.0.1", app.relay().tcpPort())) {
        camera.setSoTimeout(20_000);
        OutputStream out = camera.getOutputStream();
        MessageEncoder.write(Message.hello(new Hello(1, 0, "porch", null, "timelapse-test")), out);
        out.flush();
        awaitWelcome(camera.getInputStream());
        for (int i = 0; i < 10; i++) {
          byte[] jpeg = jpeg(i);
          sent.add(jpeg);
          MessageEncoder.write(Message.frame(101 + i, 1_000_000L + i * 100_000L, jpeg), out);
          out.flush();
          // One frame at a time: the output has taken frame i before frame i+1 is sent, so the relay never has to
          // replace a waiting frame (newest wins) and exactly every third frame is due.
          int seen = i + 1;
          await(() -> writer.framesSeen() >= seen, "the timelapse output got frame " + seen);
        }
        await(() -> writer.written() >= 4, "4 files written");
      }
      assertThat(writer.framesSeen()).isEqualTo(10);
      assertThat(writer.failed()).isZero();
    }

    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.sorted().toList(); // sorted by name = by time
    }
    assertThat(files).hasSize(4); // and no .part file left behind
    Pattern name = Pattern.compile("porch-\\d{8}-\\d{6}\\.\\d{3}-(\\d+)\\.jpg");
    List<Long> sequences = new ArrayList<>();
    for (Path f : files) {
      Matcher m = name.matcher(f.getFileName().toString());
      assertThat(m.matches()).as("file name %s", f.getFileName()).isTrue();
      long sequence = Long.parseLong(m.group(1));
      sequences.add(sequence);
      assertThat(Files.readAllBytes(f)).as("content of %s", f.getFileName()).isEqualTo(sent.get((int) sequence - 101));
    }
    assertThat(sequences).containsExactly(101L, 104L, 107L, 110L);
  }

  @Test
  @Timeout(90)
  void recordsEveryCameraThatAttachesWhenToldToRecordAllCameras() throws Exception {
    Path folder = dir.resolve("all");
    List<byte[]> sent = new ArrayList<>();
    try (Timelapse app = new Timelapse("127.0.0.1", -1, -1, 0, Timelapse.ALL_CAMERAS, 2, folder,
        new PrintStream(new ByteArrayOutputStream(), true))) {
      TimelapseWriter writer = app.writer();
      for (int i = 0; i < 5; i++) {
        byte[] jpeg = jpeg(i);
        sent.add(jpeg);
        app.relay().publish("yard", jpeg); // an in-process camera: the relay numbers its frames 1, 2, 3, ...
        int seen = i + 1;
        await(() -> writer.framesSeen() >= seen, "the timelapse output got frame " + seen);
      }
      await(() -> writer.written() >= 3, "3 files written");
    }
    List<String> names;
    try (Stream<Path> list = Files.list(folder)) {
      names = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(names).hasSize(3).allSatisfy(n -> assertThat(n).startsWith("yard-"));
    assertThat(names.get(0)).endsWith("-1.jpg");
    assertThat(names.get(1)).endsWith("-3.jpg");
    assertThat(names.get(2)).endsWith("-5.jpg");
    assertThat(Files.readAllBytes(folder.resolve(names.get(2)))).isEqualTo(sent.get(4));
  }

  @Test
  void namesAFileByCameraReceiveTimeInUtcAndSequence() throws Exception {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2024-03-01T06:07:08.123456Z"));
    CameraFrame frame = new CameraFrame("porch", JpegFrame.parse(jpeg(0)), 42, 7, micros, 160, 120);
    assertThat(TimelapseWriter.fileName(frame)).isEqualTo("porch-20240301-060708.123-42.jpg");
  }

  /** A distinct real JPEG per index: its own colour and number. */
  private static byte[] jpeg(int index) throws IOException {
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.getHSBColor(index / 10f, 0.8f, 0.9f));
    g.fillRect(0, 0, 160, 120);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 40));
    g.drawString("#" + index, 30, 75);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  /** Reads the relay's answer to HELLO; fails on anything but WELCOME. */
  private static void awaitWelcome(InputStream in) throws Exception {
    AtomicBoolean welcomed = new AtomicBoolean();
    List<Message> others = new ArrayList<>();
    MessageDecoder decoder = new MessageDecoder(m -> {
      if (m.type() == MessageType.WELCOME) {
        welcomed.set(true);
      } else {
        others.add(m);
      }
    });
    byte[] buf = new byte[256];
    while (!welcomed.get()) {
      assertThat(others).as("relay's answer to HELLO").isEmpty();
      int n = in.read(buf);
      assertThat(n).as("relay closed the connection instead of WELCOME").isPositive();
      decoder.feed(buf, 0, n);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
