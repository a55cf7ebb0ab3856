package dev.camrelay.relay.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * An MJPEG viewer over a bare socket that reads only when asked to: {@code GET /cam/{id}/stream.mjpeg}, then one
 * multipart part per {@link #nextPart} call. The receive buffer is set before connecting (no autotuning), so a
 * viewer that stops calling {@link #nextPart} really stops the relay's writes after a few tens of kilobytes.
 *
 * <p>Parts are read strictly: a boundary line, headers up to a blank line with a {@code Content-Length}, exactly that
 * many bytes, then CRLF. A part that is cut short or framed wrongly is an {@link IOException}, never a short frame.
 */
public final class MjpegStreamClient implements Closeable {
  private static final int MAX_LINE = 8 * 1024;

  public final Socket socket;
  private final InputStream in;
  private final String boundary;

  private MjpegStreamClient(Socket socket, InputStream in, String boundary) {
    this.socket = socket;
    this.in = in;
    this.boundary = boundary;
  }

  /** Opens the stream of camera {@code cameraId} and reads the response head; fails unless it is 200 multipart. */
  public static MjpegStreamClient open(int httpPort, String cameraId, int receiveBufferBytes) throws IOException {
    return open(httpPort, cameraId, null, receiveBufferBytes);
  }

  /** The same, presenting {@code token} (or none when null) as {@code Authorization: Bearer}. */
  public static MjpegStreamClient open(int httpPort, String cameraId, String token, int receiveBufferBytes)
      throws IOException {
    Socket s = new Socket();
    try {
      s.setReceiveBufferSize(receiveBufferBytes);
      s.connect(new InetSocketAddress("127.0.0.1", httpPort), 10_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET /cam/" + cameraId + "/stream.mjpeg HTTP/1.1\r\nHost: 127.0.0.1:" + httpPort
          + (token == null ? "" : "\r\nAuthorization: Bearer " + token) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = new BufferedInputStream(s.getInputStream(), 8 * 1024);
      String status = line(in);
      String contentType = null;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        if (header.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
          contentType = header.substring("content-type:".length()).trim();
        }
      }
      if (!status.startsWith("HTTP/1.1 200") || contentType == null || !contentType.contains("boundary=")) {
        throw new IOException("not an MJPEG stream: " + status + ", Content-Type " + contentType);
      }
      return new MjpegStreamClient(s, in, contentType.substring(contentType.indexOf("boundary=") + 9));
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The JPEG of the next part, waiting at most {@code timeout}. */
  public byte[] nextPart(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    String first = line(in);
    if (!first.equals("--" + boundary)) {
      throw new IOException("expected boundary --" + boundary + ", got \"" + first + "\"");
    }
    int length = -1;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).trim());
      }
    }
    if (length < 0) {
      throw new IOException("part without Content-Length");
    }
    byte[] jpeg = in.readNBytes(length);
    if (jpeg.length != length) {
      throw new EOFException("part cut short: " + jpeg.length + " of " + length + " bytes");
    }
    String trailer = line(in);
    if (!trailer.isEmpty()) {
      throw new IOException("part of " + length + " bytes not followed by CRLF but \"" + trailer + "\"");
    }
    return jpeg;
  }

  /**
   * Reads and discards until the relay closes the connection; true if it did (EOF or reset) within {@code timeout}.
   */
  public boolean closedByRelay(Duration timeout) throws IOException {
    return TcpDrain.closedByPeer(socket, in, timeout);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("stream ended inside a line: \"" + buf + "\"");
      }
      if (buf.size() > MAX_LINE) {
        throw new IOException("line longer than " + MAX_LINE + " bytes");
      }
      buf.write(b);
    }
    String s = buf.toString(StandardCharsets.ISO_8859_1);
    if (!s.endsWith("\r")) {
      throw new IOException("line not ended by CRLF: \"" + s + "\"");
    }
    return s.substring(0, s.length() - 1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Waiting for a peer to close a TCP connection, reading and discarding whatever it still sends. */
  public static final class TcpDrain {
    private TcpDrain() {}

    /** True if the peer closed {@code socket} (EOF or reset) within {@code timeout}, reading through {@code in}. */
    public static boolean closedByPeer(Socket socket, InputStream in, Duration timeout) throws IOException {
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] sink = new byte[64 * 1024];
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        try {
          if (in.read(sink) < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          return false;
        } catch (IOException e) {
          return true; // reset: closed without a FIN, as the relay drops a stalled viewer
        }
      }
    }
  }
}
