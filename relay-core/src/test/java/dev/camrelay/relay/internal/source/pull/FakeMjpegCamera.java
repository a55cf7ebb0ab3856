package dev.camrelay.relay.internal.source.pull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * A fake network camera serving MJPEG over HTTP on a loopback port, byte-exact like the ESP32 CameraWebServer
 * ({@code esp_http_server}: chunked transfer encoding, one chunk per {@code httpd_resp_send_chunk} call):
 *
 * <pre>
 * HTTP/1.1 200 OK
 * Content-Type: multipart/x-mixed-replace;boundary=123456789000000000000987654321
 * Transfer-Encoding: chunked
 * Access-Control-Allow-Origin: *
 * X-Framerate: 60
 *
 * per frame, three chunks:  "\r\n--123456789000000000000987654321\r\n"
 *                           "Content-Type: image/jpeg\r\nContent-Length: N\r\nX-Timestamp: 1.000000\r\n\r\n"
 *                           JPEG (N bytes)
 * </pre>
 *
 * Or, with {@link Style#PLAIN_IP_CAMERA}, a generic IP camera: no chunking, body until close, parts
 * {@code --myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: N\r\n\r\n<jpeg>\r\n}.
 * Each connection follows a {@link Plan} chosen by its number (1, 2, ...), to inject faults.
 */
final class FakeMjpegCamera implements AutoCloseable {
  static final String ESP32_BOUNDARY = "123456789000000000000987654321";

  enum Style { ESP32, PLAIN_IP_CAMERA }

  enum Fault {
    /** Keep sending frames until the client goes away. */
    NONE,
    /** Send the frames, then half of the next JPEG, then nothing (socket stays open). */
    STALL_MID_FRAME,
    /** Send the frames, then half of the next JPEG, then close. */
    DISCONNECT_MID_FRAME,
    /** Answer with {@link Plan#status} and a text body, then close. */
    HTTP_ERROR,
    /** Answer 200 with Content-Type text/html (not a stream), then close. */
    NOT_MJPEG
  }

  record Plan(Fault fault, int frames, String status, long frameIntervalMs) {
    static Plan streaming() {
      return new Plan(Fault.NONE, Integer.MAX_VALUE, "200 OK", 15);
    }

    static Plan fault(Fault fault, int framesBefore) {
      return new Plan(fault, framesBefore, "200 OK", 5);
    }

    static Plan error(String status) {
      return new Plan(Fault.HTTP_ERROR, 0, status, 0);
    }
  }

  private final ServerSocket server;
  private final Style style;
  private final IntFunction<Plan> plans;
  private final IntSupplier nextFrameNumber;
  private final IntFunction<byte[]> frameSource;
  private final AtomicInteger connections = new AtomicInteger();
  /** Every JPEG sent completely, in order. */
  final List<byte[]> fullySent = new CopyOnWriteArrayList<>();
  /** Every JPEG of which only a part was sent. */
  final List<byte[]> partlySent = new CopyOnWriteArrayList<>();
  /** The request heads received, in order. */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** Connection numbers whose stalled socket the client closed. */
  final List<Integer> closedByClientDuringStall = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean closed;

  FakeMjpegCamera(int port, Style style, IntFunction<Plan> plans, IntFunction<byte[]> frameSource)
      throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    this.style = style;
    this.plans = plans;
    this.frameSource = frameSource;
    AtomicInteger numbers = new AtomicInteger();
    this.nextFrameNumber = numbers::getAndIncrement;
    this.acceptor = new Thread(this::acceptLoop, "fake-mjpeg-camera");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        int number = connections.incrementAndGet();
        Thread t = new Thread(() -> serve(socket, number), "fake-mjpeg-camera-conn-" + number);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, int number) {
    Plan plan = plans.apply(number);
    try (socket) {
      socket.setSoTimeout(0);
      InputStream in = socket.getInputStream();
      requests.add(readHead(in));
      OutputStream out = socket.getOutputStream();
      switch (plan.fault()) {
        case HTTP_ERROR -> {
          String body = "error\n";
          out.write(("HTTP/1.1 " + plan.status() + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
              + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        }
        case NOT_MJPEG -> {
          String body = "<html>camera settings page</html>\n";
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body.length()
              + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        }
        default -> { }
      }
      out.write(responseHead());
      out.flush();
      for (int i = 0; i < plan.frames(); i++) {
        byte[] jpeg = frameSource.apply(nextFrameNumber.getAsInt());
        writePart(out, jpeg, jpeg.length);
        fullySent.add(jpeg);
        if (plan.frameIntervalMs() > 0) {
          Thread.sleep(plan.frameIntervalMs());
        }
      }
      if (plan.fault() == Fault.STALL_MID_FRAME || plan.fault() == Fault.DISCONNECT_MID_FRAME) {
        byte[] jpeg = frameSource.apply(nextFrameNumber.getAsInt());
        writePart(out, jpeg, jpeg.length / 2);
        partlySent.add(jpeg);
        if (plan.fault() == Fault.STALL_MID_FRAME) {
          // Send nothing more; wait for the client to give up and close.
          if (in.read() < 0) {
            closedByClientDuringStall.add(number);
          }
        }
      }
    } catch (SocketException e) {
      // The client went away: normal for a streaming camera.
    } catch (IOException e) {
      // ditto
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] responseHead() {
    String head = style == Style.ESP32
        ? "HTTP/1.1 200 OK\r\n"
            + "Content-Type: multipart/x-mixed-replace;boundary=" + ESP32_BOUNDARY + "\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "Access-Control-Allow-Origin: *\r\n"
            + "X-Framerate: 60\r\n"
            + "\r\n"
        : "HTTP/1.0 200 OK\r\n"
            + "Server: fake-ipcam\r\n"
            + "Content-Type: multipart/x-mixed-replace; boundary=--myboundary\r\n"
            + "Connection: close\r\n"
            + "\r\n";
    return head.getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes one part, but only the first {@code jpegBytesToSend} bytes of the JPEG. */
  private void writePart(OutputStream out, byte[] jpeg, int jpegBytesToSend) throws IOException {
    if (style == Style.ESP32) {
      chunk(out, ("\r\n--" + ESP32_BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII), -1);
      chunk(out, ("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\nX-Timestamp: 1.000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII), -1);
      chunk(out, jpeg, jpegBytesToSend);
    } else {
      out.write(("--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(jpeg, 0, jpegBytesToSend);
      if (jpegBytesToSend == jpeg.length) {
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
    out.flush();
  }

  /** One HTTP/1.1 chunk; with {@code cutAt} >= 0 only that many data bytes follow the size line (a cut chunk). */
  private static void chunk(OutputStream out, byte[] data, int cutAt) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    if (cutAt >= 0 && cutAt < data.length) {
      out.write(data, 0, cutAt);
      return;
    }
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("client closed before finishing its request");
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
          ? state + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
