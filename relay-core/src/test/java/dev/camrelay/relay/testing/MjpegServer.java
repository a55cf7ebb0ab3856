package dev.camrelay.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A camera's MJPEG web server on loopback, like the ESP32 CameraWebServer's {@code :81/stream}: answers one GET at a
 * time with {@code multipart/x-mixed-replace} (chunked), one part per frame {@link #send sent}, with Content-Length.
 * {@link #holdResponses()} keeps accepted connections waiting before the response until {@link #respond()}.
 */
public final class MjpegServer implements AutoCloseable {
  private static final String BOUNDARY = "123456789000000000000987654321";
  private final ServerSocket server;
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger ended = new AtomicInteger();
  private volatile CountDownLatch respond = new CountDownLatch(0);
  private volatile boolean closed;

  public MjpegServer() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "fake-mjpeg-camera");
    t.setDaemon(true);
    t.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stream");
  }

  /** From now on, accepted connections wait before the response until {@link #respond()}. */
  public MjpegServer holdResponses() {
    respond = new CountDownLatch(1);
    return this;
  }

  public void respond() {
    respond.countDown();
  }

  /** Sends {@code jpeg} as the next part to the connection being served (or the next one). */
  public void send(byte[] jpeg) {
    frames.add(jpeg);
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Connections that ended (the relay closed them) so far. */
  public int ended() {
    return ended.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try (Socket s = server.accept()) {
        accepted.incrementAndGet();
        serve(s);
      } catch (IOException | InterruptedException e) {
        // the relay went away, or we are closed
      } finally {
        ended.incrementAndGet();
      }
    }
  }

  private void serve(Socket s) throws IOException, InterruptedException {
    InputStream in = s.getInputStream();
    if (!HttpRequestHead.skip(in)) {
      return;
    }
    while (!respond.await(50, TimeUnit.MILLISECONDS)) {
      if (closed) {
        return;
      }
    }
    OutputStream out = s.getOutputStream();
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=" + BOUNDARY
        + "\r\nTransfer-Encoding: chunked\r\nAccess-Control-Allow-Origin: *\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    s.setSoTimeout(50);
    while (!closed) {
      byte[] jpeg = frames.poll(50, TimeUnit.MILLISECONDS);
      if (jpeg == null) {
        if (peerClosed(in)) {
          return;
        }
        continue;
      }
      byte[] head = ("\r\n--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      chunk(out, head);
      chunk(out, jpeg);
      out.flush();
    }
  }

  /** Whether the relay closed its side (a read sees the end of the stream); waits at most the socket timeout. */
  private static boolean peerClosed(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  private static void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void close() throws IOException {
    closed = true;
    respond.countDown();
    server.close();
  }
}
