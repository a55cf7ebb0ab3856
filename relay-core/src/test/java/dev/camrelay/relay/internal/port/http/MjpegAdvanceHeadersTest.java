package dev.camrelay.relay.internal.port.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.relay.internal.output.mjpeg.MjpegRoute;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MJPEG with advance headers (issue #13): who gets them, and their bytes on the wire. Browsers show a part only once
 * the next part's header block is in, so for them each JPEG is followed at once by that block (without
 * Content-Length, which is not known yet); every other reader gets parts with Content-Length as before.
 */
class MjpegAdvanceHeadersTest {
  static final String CHROME =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  static final String CHROME_IMG = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
  static final String CHROME_TAB = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
      + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
  static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
  static final String FIREFOX_IMG = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";
  static final String SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
      + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
  static final String SAFARI_IMG = "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,"
      + "image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";

  static final String HEADER = "--camrelayframe\r\nContent-Type: image/jpeg\r\n\r\n";
  static final String TRAILER = "\r\n" + HEADER;

  private HttpFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of("Chromium <img>", "", CHROME, CHROME_IMG, true),
        Arguments.of("Chromium tab on the stream's URL", "", CHROME, CHROME_TAB, true),
        Arguments.of("Firefox <img>", "", FIREFOX, FIREFOX_IMG, true),
        Arguments.of("Safari <img>", "", SAFARI, SAFARI_IMG, true),
        Arguments.of("ffmpeg / OpenCV", "", "Lavf/60.16.100", "*/*", false),
        Arguments.of("VLC", "", "VLC/3.0.21 LibVLC/3.0.21", "*/*", false),
        Arguments.of("motion", "", "Motion-netcam/4.6.0", null, false),
        Arguments.of("Home Assistant's proxy (aiohttp)", "", "HomeAssistant/2024.12.0 aiohttp/3.11.9 Python/3.12",
            "*/*", false),
        Arguments.of("curl", "", "curl/8.5.0", "*/*", false),
        Arguments.of("a page's fetch() parsing the parts itself", "", CHROME, "*/*", false),
        Arguments.of("a script claiming to be a browser", "", "Mozilla/5.0", null, false),
        Arguments.of("no headers at all", "", null, null, false),
        Arguments.of("?advance=1 asks for them", "?advance=1", null, null, true),
        Arguments.of("?advance=true asks for them (with a token)", "?token=abc&advance=true", "Lavf/60.16.100", "*/*",
            true),
        Arguments.of("?advance=0 turns them off for a browser", "?advance=0", CHROME, CHROME_IMG, false),
        Arguments.of("?advance=no turns them off for a browser", "?advance=no", FIREFOX, FIREFOX_IMG, false),
        Arguments.of("?advance=maybe is not understood: a browser still gets them", "?advance=maybe", CHROME,
            CHROME_IMG, true),
        Arguments.of("?advance=maybe is not understood: VLC still does not", "?advance=maybe",
            "VLC/3.0.21 LibVLC/3.0.21", "*/*", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void browsersGetAdvanceHeadersOthersOnlyWhenTheyAsk(String who, String query, String userAgent, String accept,
      boolean advance) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "/cam/garage/stream.mjpeg" + query);
    if (userAgent != null) {
      request.headers().set("User-Agent", userAgent);
    }
    if (accept != null) {
      request.headers().set("Accept", accept);
    }
    assertThat(MjpegRoute.advanceHeaders(request)).as(who).isEqualTo(advance);
  }

  /**
   * The response head is the same; the first part's header follows it at once, and every JPEG is followed by the
   * next part's whole header block: all of a frame's bytes and the block after it arrive before the next frame is
   * published (the read would time out otherwise).
   */
  @Test
  void aBrowserGetsEachJpegFollowedByTheNextPartsHeaderBeforeTheNextFrameExists() throws Exception {
    HttpFixture http = start();
    byte[] base = TestJpegs.gradient(160, 120, 3);
    byte[] first = TestJpegs.withSequence(base, 0);
    http.publish("garage", first);
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.get("/cam/garage/stream.mjpeg", "User-Agent: " + CHROME, "Accept: " + CHROME_IMG);
      RawHttp.Head head = raw.readHead();
      assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(head.header("content-type")).isEqualTo("multipart/x-mixed-replace; boundary=camrelayframe");
      assertThat(head.header("connection")).isEqualTo("close");
      assertThat(head.headers()).doesNotContainKeys("transfer-encoding", "content-length");

      assertThat(ascii(raw.readBytes(HEADER.length()))).isEqualTo(HEADER);
      assertThat(raw.readBytes(first.length)).isEqualTo(first);
      assertThat(ascii(raw.readBytes(TRAILER.length()))).isEqualTo(TRAILER);
      for (int i = 1; i <= 20; i++) {
        byte[] jpeg = TestJpegs.withSequence(base, i);
        http.publish("garage", jpeg);
        assertThat(raw.readBytes(jpeg.length)).as("frame %d", i).isEqualTo(jpeg);
        assertThat(ascii(raw.readBytes(TRAILER.length()))).as("after frame %d", i).isEqualTo(TRAILER);
      }
    }
  }

  @Test
  void askingWithoutBrowserHeadersGivesAdvanceHeadersAndTurningThemOffGivesContentLengthParts() throws Exception {
    HttpFixture http = start();
    byte[] jpeg = TestJpegs.gradient(64, 48, 7);
    http.publish("garage", jpeg);
    try (RawHttp asked = RawHttp.connect(http.port); RawHttp off = RawHttp.connect(http.port)) {
      asked.get("/cam/garage/stream.mjpeg?advance=1");
      assertThat(asked.readHead().status()).isEqualTo(200);
      assertThat(ascii(asked.readBytes(HEADER.length()))).isEqualTo(HEADER);
      assertThat(asked.readBytes(jpeg.length)).isEqualTo(jpeg);
      assertThat(ascii(asked.readBytes(TRAILER.length()))).isEqualTo(TRAILER);

      off.get("/cam/garage/stream.mjpeg?advance=0", "User-Agent: " + CHROME, "Accept: " + CHROME_IMG);
      assertThat(off.readHead().status()).isEqualTo(200);
      assertThat(MultipartReading.readPart(off.in)).isEqualTo(jpeg); // strict: Content-Length, byte for byte
    }
  }

  /** The relay's own MJPEG reader (its pull client) reads the advance layout frame by frame, with nothing dropped. */
  @Test
  void mjpegReaderReadsEachFrameOfAnAdvanceStreamBeforeTheNextIsPublished() throws Exception {
    HttpFixture http = start();
    byte[] base = TestJpegs.gradient(160, 120, 9);
    http.publish("garage", TestJpegs.withSequence(base, 0));
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.get("/cam/garage/stream.mjpeg?advance=1");
      RawHttp.Head head = raw.readHead();
      MjpegFrames frames = new MjpegFrames(raw.in, head.header("content-type"));
      assertThat(TestJpegs.sequenceOf(frames.next())).isZero();
      for (int i = 1; i <= 10; i++) {
        byte[] jpeg = TestJpegs.withSequence(base, i);
        http.publish("garage", jpeg);
        assertThat(frames.next()).as("frame %d", i).isEqualTo(jpeg);
      }
      assertThat(frames.discards).isEmpty();
    }
  }

  @Test
  void headOfAStreamForABrowserSendsTheHeadOnly() throws Exception {
    HttpFixture http = start();
    http.publish("garage", TestJpegs.gradient(64, 48, 5));
    try (RawHttp raw = RawHttp.connect(http.port)) {
      raw.send("HEAD /cam/garage/stream.mjpeg HTTP/1.1\r\nHost: x\r\nUser-Agent: " + CHROME + "\r\nAccept: "
          + CHROME_IMG + "\r\n\r\n");
      RawHttp.Head head = raw.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-type")).isEqualTo("multipart/x-mixed-replace; boundary=camrelayframe");
      assertThat(raw.in.read()).isEqualTo(-1);
    }
  }

  /**
   * Viewers of both layouts count as MJPEG viewers; each layout's viewers of a camera share one encoding, freed when
   * the last of them leaves.
   */
  @Test
  void viewersOfBothLayoutsAreCountedAndTheirEncodingsFreedWhenTheyLeave() throws Exception {
    HttpFixture http = start();
    byte[] jpeg = TestJpegs.gradient(64, 48, 11);
    http.publish("garage", jpeg);
    RawHttp a = RawHttp.connect(http.port);
    RawHttp b = RawHttp.connect(http.port);
    RawHttp plain = RawHttp.connect(http.port);
    try {
      a.get("/cam/garage/stream.mjpeg?advance=1");
      b.get("/cam/garage/stream.mjpeg", "User-Agent: " + FIREFOX, "Accept: " + FIREFOX_IMG);
      plain.get("/cam/garage/stream.mjpeg");
      for (RawHttp advance : new RawHttp[] {a, b}) {
        assertThat(advance.readHead().status()).isEqualTo(200);
        assertThat(ascii(advance.readBytes(HEADER.length()))).isEqualTo(HEADER);
        assertThat(advance.readBytes(jpeg.length)).isEqualTo(jpeg);
      }
      assertThat(plain.readHead().status()).isEqualTo(200);
      assertThat(MultipartReading.readPart(plain.in)).isEqualTo(jpeg);
      assertThat(http.http.mjpegAdvanceParts().users()).isEqualTo(2);
      assertThat(http.http.mjpegParts().users()).isEqualTo(1);
      PrometheusTextParser metrics = PrometheusTextParser.parse(http.getText("/metrics"));
      assertThat(metrics.value("camrelay_http_mjpeg_viewers")).isEqualTo(3);
    } finally {
      a.close();
      b.close();
      plain.close();
    }
    MjpegStreamTest.awaitTrue(() -> http.http.mjpegViewers() == 0);
    assertThat(http.http.mjpegAdvanceParts().users()).isZero();
    assertThat(http.viewers("garage")).isZero();
  }

  private HttpFixture start() throws java.io.IOException {
    fixture = new HttpFixture(TestConfig.builder());
    return fixture;
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
