package dev.camrelay.examples.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageEncoder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCaptureTest {
  @TempDir Path dir;

  private static byte[] jpeg(int w, int h, Color c) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  private String run(Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = DecodeCapture.run(new String[] {file.toString()}, new PrintStream(out, true),
        new PrintStream(err, true));
    assertThat(code).as(err.toString()).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rawCaptureListsEveryFrameWithOffsetSizeAndResolution() throws Exception {
    byte[] a = jpeg(160, 120, Color.RED);
    byte[] b = jpeg(320, 240, Color.BLUE);
    ByteArrayOutputStream capture = new ByteArrayOutputStream();
    capture.write(a);
    capture.write(b);
    capture.write(a, 0, a.length / 2); // the recording stopped mid-frame
    Path file = dir.resolve("raw.jpgs");
    Files.write(file, capture.toByteArray());

    String out = run(file);
    assertThat(out).contains("raw JPEG capture")
        .containsPattern("#1\\s+offset 0\\s+" + a.length + " bytes\\s+160x120")
        .containsPattern("#2\\s+offset " + a.length + "\\s+" + b.length + " bytes\\s+320x240")
        .contains("TRUNCATED")
        .contains("2 frames");
  }

  @Test
  void mjpegCaptureWithHttpHeadersIsSplitIntoParts() throws Exception {
    MjpegWriter writer = new MjpegWriter(MjpegWriter.DEFAULT_BOUNDARY);
    ByteArrayOutputStream capture = new ByteArrayOutputStream();
    capture.write(("HTTP/1.1 200 OK\r\nContent-Type: " + writer.contentType() + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    byte[] a = jpeg(176, 144, Color.GREEN);
    writer.writePart(capture, JpegFrame.parse(a));
    int secondAt = capture.size() + writer.partHeader(a.length).length;
    writer.writePart(capture, JpegFrame.parse(a.clone()));
    Path file = dir.resolve("stream.mjpeg");
    Files.write(file, capture.toByteArray());

    String out = run(file);
    assertThat(out).contains("MJPEG multipart capture").contains("boundary \"camrelayframe\"")
        .containsPattern("#2\\s+offset " + secondAt + "\\s+" + a.length + " bytes\\s+176x144")
        .contains("2 frames");
  }

  @Test
  void framedCaptureShowsHelloAndFramesWithSequenceNumbers() throws Exception {
    byte[] a = jpeg(96, 96, Color.WHITE);
    ByteArrayOutputStream capture = new ByteArrayOutputStream();
    MessageEncoder.write(Message.hello(new Hello(1, Hello.CONTROL, "porch", "secret-token", "fw-1")), capture);
    int frameAt = capture.size() + Message.HEADER_LENGTH;
    MessageEncoder.write(Message.frame(7, 1_500_000, a), capture);
    MessageEncoder.write(Message.frame(8, 1_600_000, a), capture);
    Path file = dir.resolve("cam.framed");
    Files.write(file, capture.toByteArray());

    String out = run(file);
    assertThat(out).contains("framed protocol capture").contains("HELLO").contains("porch")
        .doesNotContain("secret-token")
        .containsPattern("#1\\s+offset " + frameAt + "\\s+" + a.length + " bytes\\s+96x96\\s+seq 7\\s+t 1.500 s")
        .contains("2 frames");
  }

  @Test
  void somethingElseIsRefusedWithWhatItLooksLike() throws Exception {
    Path file = dir.resolve("not.bin");
    Files.write(file, "GET /stream HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = DecodeCapture.run(new String[] {file.toString()}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("looks like HTTP");
  }
}
