package dev.camrelay.relay.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the HTTP port (3010): path traversal in every spelling, raw NUL and control bytes, oversized and
 * slow request heads, methods other than GET/HEAD, bodies and pipelining, garbage and TLS. Each gets its documented
 * status, nothing outside the viewer bundle is ever served, and the canary keeps flowing.
 */
class HttpBadInputTest extends AbuseFixture {
  private static final String OUTSIDE_MARKER = "CAMRELAY-OUTSIDE-THE-BUNDLE-7f3a9c";

  private MjpegClient connect() throws IOException {
    return MjpegClient.connect(relay.httpPort(), 0, 20_000);
  }

  /** Sends {@code request} as is and returns the status and body of the (first) response. */
  private Response exchange(byte[] request) throws IOException {
    try (MjpegClient c = connect()) {
      c.send(request);
      int status = c.readHead();
      String body = c.body();
      return new Response(status, c.head, body);
    }
  }

  private Response get(String target) throws IOException {
    return exchange(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  record Response(int status, String head, String body) {}

  static List<String> traversalTargets() throws Exception {
    Path file = Path.of(HttpBadInputTest.class.getResource("/hardening/traversal-targets.txt").toURI());
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  @Test
  void pathTraversalNeverLeavesTheViewerBundle() throws Exception {
    // The bait exists on the classpath right next to the bundle, so a resolver that followed ".." would find it.
    assertThat(getClass().getClassLoader().getResource("camrelay-viewer/index.html")).isNotNull();
    assertThat(getClass().getClassLoader().getResource("hardening/outside-the-bundle.txt")).isNotNull();
    Response index = get("/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.body()).containsIgnoringCase("<html");

    List<String> targets = traversalTargets();
    assertThat(targets).hasSizeGreaterThan(40);
    SoftAssertions soft = new SoftAssertions();
    for (String target : targets) {
      Response r = get(target);
      soft.assertThat(r.status()).as(target).isIn(400, 404);
      soft.assertThat(r.body()).as(target).doesNotContain(OUTSIDE_MARKER).doesNotContain("root:x:0:0")
          .doesNotContain("[fonts]");
    }
    soft.assertAll();
    assertThat(logLines("refused path")).as("refusals are logged at most once per period per client")
        .isNotEmpty().hasSizeLessThanOrEqualTo((int) allowedLinesPerKind());
  }

  @Test
  void nulAndControlBytesInTheTargetAreRefused() throws Exception {
    String[] targets = {"/\u0000", "/index.html\u0000.js", "/..\u0000/etc/passwd", "/%00", "/index.html%00.js",
        "/app.js%00", "/\u0001app.js", "/app.js\u007f", "/\u0000../../hardening/outside-the-bundle.txt"};
    for (String target : targets) {
      Response r = get(target);
      assertThat(r.status()).as(target.replace("\u0000", "\\0")).isIn(400, 404);
      assertThat(r.body()).doesNotContain(OUTSIDE_MARKER).doesNotContain("root:x:0:0");
    }
  }

  @Test
  void oversizedRequestHeadsAreRefusedWith431Or414AndClosed() throws Exception {
    String oneHugeHeader = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n";
    StringBuilder manyHeaders = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 300; i++) {
      manyHeaders.append("X-H").append(i).append(": ").append("v".repeat(40)).append("\r\n");
    }
    manyHeaders.append("\r\n");
    String longLine = "GET /" + "a".repeat(6000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    Object[][] cases = {{oneHugeHeader, 431}, {manyHeaders.toString(), 431}, {longLine, 414}};
    for (Object[] c : cases) {
      try (MjpegClient client = connect()) {
        client.send((String) c[0]);
        assertThat(client.readHead()).isEqualTo((int) c[1]);
        assertThat(client.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void requestHeadSentOneByteAtATimeIsCutOffAtTheHandshakeTimeout() throws Exception {
    StringBuilder head = new StringBuilder("GET /api/cameras HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 10; i++) {
      head.append("X-Slow-").append(i).append(": loris\r\n");
    }
    byte[] bytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    long pauseMs = Math.max(50, HANDSHAKE_TIMEOUT.toMillis() * 10 / bytes.length);
    int sent = 0;
    try (MjpegClient c = connect()) {
      try {
        for (; sent < bytes.length; sent++) {
          c.send(new byte[] {bytes[sent]});
          Thread.sleep(pauseMs);
        }
      } catch (IOException e) {
        // the relay closed the connection while we were still sending
      }
      assertThat(sent).as("cut off before the head was complete").isLessThan(bytes.length);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void methodsOtherThanGetAndHeadAre405OrMalformed400() throws Exception {
    String[] allowed405 = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "FOO", "get"};
    for (String method : allowed405) {
      Response r = exchange((method + " /api/cameras HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(r.status()).as(method).isEqualTo(405);
      assertThat(r.head()).as(method).containsIgnoringCase("Allow: GET, HEAD");
    }
    Response connect = exchange("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    assertThat(connect.status()).isIn(400, 405);
    String[] malformed = {"G\u0001T / HTTP/1.1\r\n\r\n", "GET / FOO/1.1\r\n\r\n", " / HTTP/1.1\r\n\r\n",
        "GET\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"};
    for (String request : malformed) {
      Response r = exchange(request.getBytes(StandardCharsets.ISO_8859_1));
      assertThat(r.status()).as(request.replace("\r\n", "\\r\\n")).isIn(400, 405, 505);
    }
  }

  @Test
  void aRequestWithABodyIsAnsweredOnceAndClosedSoNothingIsSmuggled() throws Exception {
    try (MjpegClient c = connect()) {
      c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "0\r\n\r\nGET /../hardening/outside-the-bundle.txt HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readHead()).isEqualTo(200);
      assertThat(c.body()).isEqualTo("ok\n");
      String rest = drain(c.socket.getInputStream());
      assertThat(rest).as("no second response").doesNotContain("HTTP/1.1").doesNotContain(OUTSIDE_MARKER);
    }
  }

  @Test
  void pipelinedRequestsAreAllAnsweredInOrder() throws Exception {
    int n = 200;
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < n; i++) {
      burst.append(i % 2 == 0 ? "GET /healthz" : "GET /../x").append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    burst.append("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    try (MjpegClient c = connect()) {
      c.send(burst.toString());
      for (int i = 0; i < n; i++) {
        assertThat(c.readHead()).as("response " + i).isEqualTo(i % 2 == 0 ? 200 : 400);
        c.body();
      }
      assertThat(c.readHead()).isEqualTo(200);
      c.body();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void pipelinedFloodFromAClientThatNeverReadsDoesNotPileUpResponses() throws Exception {
    try (MjpegClient c = MjpegClient.connect(relay.httpPort(), 4096, 20_000)) {
      long growth = NonReadingFlood.heapGrowth(c.socket.getOutputStream(),
          "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(growth).as("heap growth after %d pipelined requests never read", NonReadingFlood.UNITS)
          .isLessThan(NonReadingFlood.HEAP_SLACK);
    }
  }

  @Test
  void garbageAndTlsOnThePlainHttpPortAreRefusedAndClosed() throws Exception {
    Random random = new Random(5);
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] b = new byte[64 + random.nextInt(2000)];
      random.nextBytes(b);
      b[b.length - 4] = '\r';
      b[b.length - 3] = '\n';
      b[b.length - 2] = '\r';
      b[b.length - 1] = '\n';
      inputs.add(b);
    }
    inputs.add(tlsClientHello());
    for (byte[] input : inputs) {
      try (MjpegClient c = connect()) {
        try {
          c.send(input);
        } catch (IOException e) {
          // reset before everything was written: refused too
        }
        String answer = drainQuietly(c.socket.getInputStream());
        assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 400") || answer.startsWith("HTTP/1.1 414")
            || answer.startsWith("HTTP/1.1 431")).as(answer.length() > 60 ? answer.substring(0, 60) : answer).isTrue();
      }
    }
  }

  @Test
  void malformedRequestsPutNeitherRawBytesNorTokensInTheLog() throws Exception {
    String secret = "s3cr3t-token-4711";
    String[] requests = {
        "GET / HTTP/1.1\u001b[2J\u001b[31mFAKE LOG LINE\r\nHost: x\r\n\r\n",
        "GET /cam/default/snapshot.jpg?token=" + secret + " HTTP/1.1\u0007\r\nHost: x\r\n\r\n",
        "GET /cam/default/snapshot.jpg HTTP/1.1\r\nAuthorization: Bearer " + secret + "\u0000\r\n\r\n",
        "GET /cam/default/snapshot.jpg HTTP/1.1\r\nAuthorization : Bearer " + secret + "\r\n\r\n",
        "GET /cam/default/snapshot.jpg HTTP/1.1\r\nX-Token\u0001: " + secret + "\r\n\r\n",
        "G\u001bET /" + secret + " HTTP/1.1\r\n\r\n",
    };
    for (String request : requests) {
      Response r = exchange(request.getBytes(StandardCharsets.ISO_8859_1));
      assertThat(r.status()).as(request).isIn(400, 404, 503);
    }
    for (String line : log.lines()) {
      assertThat(line).as("log line").doesNotContain(secret);
      for (char ch : line.toCharArray()) {
        assertThat(ch >= 0x20 && ch != 0x7f || ch == '\t').as("printable log line: " + line.replace("\u001b", "<ESC>"))
            .isTrue();
      }
    }
  }

  private static String drain(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Everything until EOF or reset; fails if the relay keeps the connection open past the read timeout. */
  private static String drainQuietly(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the relay did not close the connection");
    } catch (IOException e) {
      // reset
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
