package dev.camrelay.relay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A finite MJPEG body (a replay, a timelapse) read to its end with java.net.http: its parts with their times. */
public final class MjpegParts {
  private MjpegParts() {}

  /** One part: its {@code X-Timestamp} in microseconds (-1 without one) and its JPEG. */
  public record Part(long micros, byte[] jpeg) {}

  /** GETs {@code url} (200 multipart expected) and reads every part, each with Content-Length, until the end. */
  public static List<Part> get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("multipart/x-mixed-replace");
    List<Part> parts = new ArrayList<>();
    try (InputStream in = r.body()) {
      while (true) {
        String boundary = line(in);
        if (boundary == null) {
          return parts;
        }
        assertThat(boundary).startsWith("--");
        int length = -1;
        long micros = -1;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
          String lower = h.toLowerCase(Locale.ROOT);
          if (lower.startsWith("content-length:")) {
            length = Integer.parseInt(h.substring(15).trim());
          } else if (lower.startsWith("x-timestamp:")) {
            micros = timestampMicros(h.substring(12).trim());
          }
        }
        byte[] jpeg = in.readNBytes(length);
        assertThat(jpeg).hasSize(length);
        assertThat(line(in)).isEmpty();
        parts.add(new Part(micros, jpeg));
      }
    }
  }

  /** An {@code X-Timestamp} value ({@code seconds.micros}, the relay's six digits) in microseconds. */
  public static long timestampMicros(String value) {
    String[] t = value.split("\\.");
    return Long.parseLong(t[0]) * 1_000_000 + Long.parseLong(t[1]);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      out.write(b);
    }
    if (b < 0 && out.size() == 0) {
      return null;
    }
    String s = out.toString(StandardCharsets.US_ASCII);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
