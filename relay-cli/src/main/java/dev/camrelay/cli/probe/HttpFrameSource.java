package dev.camrelay.cli.probe;

import dev.camrelay.cli.UserError;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegSplitter;
import dev.camrelay.frame.mjpeg.MjpegFormatException;
import dev.camrelay.frame.mjpeg.MjpegReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Reads frames from an HTTP(S) URL: a multipart/x-mixed-replace MJPEG stream (split with frame-protocol's
 * {@link MjpegReader}) or a single image/jpeg (a snapshot). Reads on its own daemon thread into a {@link FrameQueue}.
 */
final class HttpFrameSource implements AutoCloseable {
  private final URI uri;
  private final boolean insecure;
  private final int maxFrameBytes;
  private final Duration timeout;
  private final FrameQueue queue;
  private final boolean tokenGiven;
  private volatile InputStream body;
  private volatile boolean closed;

  HttpFrameSource(URI uri, boolean insecure, int maxFrameBytes, Duration timeout, FrameQueue queue,
      boolean tokenGiven) {
    this.uri = uri;
    this.insecure = insecure;
    this.maxFrameBytes = maxFrameBytes;
    this.timeout = timeout;
    this.queue = queue;
    this.tokenGiven = tokenGiven;
  }

  /** Sends the request and checks the answer; fails with a readable {@link UserError}. */
  HttpFrameSource open() throws InterruptedException {
    HttpClient.Builder cb = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (insecure) {
      cb.sslContext(trustAll());
    }
    HttpClient client = cb.build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UserError(ProbeFailures.connectFailed(uri, e, timeout.toMillis() / 1000.0));
    }
    InputStream in = response.body();
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (response.statusCode() != 200) {
      String text = readSome(in);
      throw new UserError(ProbeFailures.refused(uri, response.statusCode(), null, text, tokenGiven));
    }
    this.body = in;
    Thread reader;
    if (type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
      String boundary;
      try {
        boundary = MjpegReader.boundaryOf(type);
      } catch (MjpegFormatException e) {
        closeQuietly(in);
        throw new UserError("bad MJPEG Content-Type '" + type + "': " + e.getMessage());
      }
      reader = new Thread(() -> readMultipart(in, boundary), "camrelay-probe-http");
    } else if (type.toLowerCase(Locale.ROOT).startsWith("image/jpeg")) {
      reader = new Thread(() -> readSingle(in), "camrelay-probe-http");
    } else {
      closeQuietly(in);
      throw new UserError(ProbeCommand.redacted(uri) + " is not an MJPEG stream or a JPEG (Content-Type: "
          + (type.isEmpty() ? "none" : type) + ")");
    }
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  private void readMultipart(InputStream in, String boundary) {
    MjpegReader reader = new MjpegReader(boundary, maxFrameBytes, new JpegSplitter.Listener() {
      @Override
      public void onFrame(JpegFrame frame) {
        queue.put(frame.toByteArray(), System.nanoTime());
      }

      @Override
      public void onDiscard(JpegSplitter.Discard reason, long bytes, String detail) {
        queue.end("the stream had a bad part (" + reason + ", " + bytes + " bytes: " + detail + ")");
      }
    });
    byte[] buf = new byte[64 * 1024];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        reader.feed(buf, 0, n);
      }
      reader.endOfStream();
      queue.end("the relay ended the stream");
    } catch (MjpegFormatException e) {
      queue.end("bad MJPEG stream: " + e.getMessage());
    } catch (IOException e) {
      queue.end(closed ? "closed" : "connection lost: " + e.getMessage());
    }
  }

  private void readSingle(InputStream in) {
    try {
      byte[] jpeg = in.readNBytes(maxFrameBytes + 1);
      if (jpeg.length > maxFrameBytes) {
        queue.end("the image is larger than " + maxFrameBytes + " bytes");
        return;
      }
      queue.put(jpeg, System.nanoTime());
      queue.end("a snapshot URL gives one frame");
    } catch (IOException e) {
      queue.end("connection lost: " + e.getMessage());
    }
  }

  private static String readSome(InputStream in) {
    try (in) {
      byte[] b = in.readNBytes(300);
      return new String(b, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "";
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /**
   * Trusts any certificate for any name. An {@link X509ExtendedTrustManager}, because the JDK wraps a plain
   * {@code X509TrustManager} in one that still checks the host name (so a relay reached by IP address failed).
   */
  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("no TLS support in this JVM", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = body;
    if (in != null) {
      closeQuietly(in);
    }
  }
}
