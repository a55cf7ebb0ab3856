package dev.camrelay.frame.sniff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.sniff.StreamSniffer.Kind;
import dev.camrelay.frame.sniff.StreamSniffer.Result;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamSnifferTest {
  private static Result sniffHex(String hex) {
    byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
    return StreamSniffer.sniff(b, 0, b.length);
  }

  private static Result sniffText(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return StreamSniffer.sniff(b, 0, b.length);
  }

  @Test
  void ffD8IsARawJpegStream() {
    assertThat(sniffHex("ff d8 ff e0")).isEqualTo(new Result(Kind.RAW_JPEG, "raw JPEG stream"));
    assertThat(sniffHex("ff d8").kind()).isEqualTo(Kind.RAW_JPEG);
  }

  @Test
  void crlyMagicIsTheFramedProtocol() {
    assertThat(sniffHex("43 52 4c 59 01 01")).isEqualTo(new Result(Kind.FRAMED, "framed camera protocol"));
  }

  @Test
  void noBytesNeedMore() {
    assertThat(StreamSniffer.sniff(new byte[8], 3, 0)).isEqualTo(new Result(Kind.NEED_MORE, "need more bytes (have 0)"));
  }

  @ParameterizedTest
  @CsvSource({"ff", "43", "43 52", "43 52 4c", "47", "47 45 54", "16", "53 53 48", "50", "50 52 49"})
  void prefixesOfASignatureNeedMore(String hex) {
    assertThat(sniffHex(hex).kind()).isEqualTo(Kind.NEED_MORE);
  }

  @Test
  void oneByteCanAlreadyRuleOutEverything() {
    assertThat(sniffHex("0a")).isEqualTo(new Result(Kind.UNKNOWN, "unrecognised first bytes 0a"));
    assertThat(sniffHex("00")).isEqualTo(new Result(Kind.UNKNOWN, "unrecognised first bytes 00"));
  }

  @Test
  void fourBytesAlwaysDecide() {
    for (int i = 0; i < 256; i++) {
      for (String rest : new String[] {"d8 00 00", "52 4c 59", "45 54 20", "03 01 00", "53 48 2d", "00 00 00"}) {
        byte[] b = HexFormat.of().parseHex(String.format("%02x", i) + rest.replace(" ", ""));
        assertThat(StreamSniffer.sniff(b, 0, StreamSniffer.MAX_BYTES_NEEDED).kind()).isNotEqualTo(Kind.NEED_MORE);
      }
    }
  }

  @Test
  void unrecognisedBytesAreShownInHex() {
    assertThat(sniffHex("0a 1b 2c 3d 4e")).isEqualTo(new Result(Kind.UNKNOWN, "unrecognised first bytes 0a 1b 2c 3d …"));
    assertThat(sniffHex("ff d9").description()).isEqualTo("unrecognised first bytes ff d9");
    assertThat(sniffHex("43 52 4c 58").description()).isEqualTo("unrecognised first bytes 43 52 4c 58");
  }

  @Test
  void httpRequestsAreRecognisedWithTheirRequestLine() {
    assertThat(sniffText("GET ")).isEqualTo(new Result(Kind.UNKNOWN, "looks like HTTP (GET ...)"));
    assertThat(sniffText("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n").description())
        .isEqualTo("looks like HTTP (GET /stream ...)");
    assertThat(sniffText("POST /upload HTTP/1.1\r\n").description()).isEqualTo("looks like HTTP (POST /upload ...)");
    assertThat(sniffText("HEAD").description()).isEqualTo("looks like HTTP (HEAD ...)");
    assertThat(sniffText("PUT ").description()).isEqualTo("looks like HTTP (PUT ...)");
    assertThat(sniffText("OPTIONS * HTTP/1.1\r\n").description()).isEqualTo("looks like HTTP (OPTIONS * ...)");
    assertThat(sniffText("CONNECT example.com:443 HTTP/1.1\r\n").description())
        .isEqualTo("looks like HTTP (CONNECT example.com:443 ...)");
  }

  @Test
  void aWebSocketUpgradeIsCalledOut() {
    String req = "GET /ingest/cam1 HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    assertThat(sniffText(req)).isEqualTo(new Result(Kind.UNKNOWN, "looks like a WebSocket/HTTP request (GET /ingest/cam1 ...)"));
  }

  @Test
  void unprintableRequestTargetsAreSanitised() {
    assertThat(sniffText("GET /\u0001\u00ff HTTP/1.1\r\n").description()).isEqualTo("looks like HTTP (GET /?? ...)");
  }

  @Test
  void tlsClientHelloIsRecognised() {
    assertThat(sniffHex("16 03 01 02 00 01")).isEqualTo(
        new Result(Kind.UNKNOWN, "looks like TLS ClientHello (record version 03 01)"));
    assertThat(sniffHex("16 03").description()).isEqualTo("looks like TLS ClientHello");
    assertThat(sniffHex("16 04").description()).isEqualTo("unrecognised first bytes 16 04");
  }

  @Test
  void sshIsRecognised() {
    assertThat(sniffText("SSH-2.0-OpenSSH_9.6\r\n")).isEqualTo(new Result(Kind.UNKNOWN, "looks like SSH"));
  }

  @Test
  void http2PrefaceIsRecognised() {
    assertThat(sniffText("PRI * HTTP/2.0\r\n").description()).isEqualTo("looks like HTTP/2 (PRI * HTTP/2.0)");
  }

  @Test
  void sniffLooksOnlyAtTheGivenRange() {
    byte[] b = HexFormat.of().parseHex("0000ffd80000");
    assertThat(StreamSniffer.sniff(b, 2, 2).kind()).isEqualTo(Kind.RAW_JPEG);
    assertThat(StreamSniffer.sniff(b, 2, 1).kind()).isEqualTo(Kind.NEED_MORE);
  }
}
