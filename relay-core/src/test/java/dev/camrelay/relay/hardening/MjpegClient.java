package dev.camrelay.relay.hardening;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare-socket HTTP client for the relay's MJPEG stream and other raw requests. It reads the multipart body
 * strictly in the relay's own part format (MjpegWriter's), so a part that is cut short, padded or framed wrongly
 * is an error rather than something a lenient parser would skip:
 *
 * <pre>
 * --camrelayframe\r\n
 * Content-Type: image/jpeg\r\n
 * Content-Length: N\r\n
 * \r\n
 * N bytes\r\n
 * </pre>
 */
final class MjpegClient implements Closeable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  String head;

  private MjpegClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.out = socket.getOutputStream();
  }

  /** Connects with the given receive buffer (0 = default) and read timeout. */
  static MjpegClient connect(int port, int receiveBuffer, int readTimeoutMs) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.setSoTimeout(readTimeoutMs);
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return new MjpegClient(s);
  }

  /** Opens {@code /cam/{id}/stream.mjpeg} and reads the response head; returns the status code. */
  static MjpegClient stream(int port, String cameraId, int receiveBuffer, int readTimeoutMs) throws IOException {
    MjpegClient c = connect(port, receiveBuffer, readTimeoutMs);
    try {
      c.send("GET /cam/" + cameraId + "/stream.mjpeg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      c.readHead();
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads a response head up to the blank line; returns the status code. */
  int readHead() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside the response head: " + buf);
      }
      buf.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
      if (buf.size() > 64 * 1024) {
        throw new IOException("response head too long");
      }
    }
    head = buf.toString(StandardCharsets.ISO_8859_1);
    return status();
  }

  int status() {
    return Integer.parseInt(head.substring(9, 12));
  }

  String header(String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** The body of a response with Content-Length, as text. */
  String body() throws IOException {
    String length = header("Content-Length");
    if (length == null) {
      return "";
    }
    byte[] b = in.readNBytes(Integer.parseInt(length));
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Reads the next part strictly; returns its JPEG bytes (not validated here). */
  byte[] readPart() throws IOException {
    expect("--camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: ");
    int length = 0;
    int digits = 0;
    int b;
    while ((b = read()) != '\r') {
      if (b < '0' || b > '9' || ++digits > 9) {
        throw new IOException("bad Content-Length character " + b);
      }
      length = length * 10 + (b - '0');
    }
    expect("\n\r\n");
    byte[] jpeg = in.readNBytes(length);
    if (jpeg.length != length) {
      throw new EOFException("part cut short: " + jpeg.length + " of " + length + " bytes");
    }
    expect("\r\n");
    return jpeg;
  }

  /** Reads {@code n} bytes of whatever comes (e.g. to stop in the middle of a part). */
  void skip(int n) throws IOException {
    in.readNBytes(n);
  }

  private void expect(String text) throws IOException {
    for (int i = 0; i < text.length(); i++) {
      int b = read();
      if (b != text.charAt(i)) {
        throw new IOException("expected \"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\" but byte " + i
            + " was " + b);
      }
    }
  }

  private int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("stream ended");
    }
    return b;
  }

  /** Reads and discards until the server closes; true if it did (EOF or reset) before the read timeout. */
  boolean closedByServer() {
    try {
      byte[] buffer = new byte[64 * 1024];
      while (in.read(buffer) >= 0) {
        // discard
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Closes with a reset (no FIN), as a crashing client would. */
  void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
