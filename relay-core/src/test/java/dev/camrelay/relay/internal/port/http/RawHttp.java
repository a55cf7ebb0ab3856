package dev.camrelay.relay.internal.port.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A byte-exact HTTP/1.1 client for tests: sends request bytes as given (no path normalisation, unlike real
 * clients) and exposes the response head and the raw body stream, so tests see exactly what is on the wire.
 */
final class RawHttp implements Closeable {
  record Head(int status, String statusLine, Map<String, List<String>> headers, String raw) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }
  }

  final Socket socket;
  final InputStream in;
  final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(int port) throws IOException {
    return connect(port, -1);
  }

  /** Connects with the given receive buffer size (set before connecting, so the window is small from the start). */
  static RawHttp connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.setSoTimeout(20_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    return new RawHttp(socket);
  }

  RawHttp send(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** GET with Host and the given extra header lines (each without CRLF). */
  RawHttp get(String target, String... headerLines) throws IOException {
    StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return send(request.append("\r\n").toString());
  }

  Head readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside the response head: " + head);
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 64 * 1024) {
        throw new IOException("response head too long");
      }
    }
    String raw = head.toString(StandardCharsets.ISO_8859_1);
    String[] lines = raw.split("\r\n");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    return new Head(status, lines[0], headers, raw);
  }

  byte[] readBytes(int n) throws IOException {
    return in.readNBytes(n);
  }

  /** The body of a response with Content-Length. */
  byte[] readBody(Head head) throws IOException {
    String length = head.header("content-length");
    if (length == null) {
      throw new IOException("no Content-Length in " + head.raw());
    }
    byte[] body = in.readNBytes(Integer.parseInt(length));
    if (body.length != Integer.parseInt(length)) {
      throw new EOFException("body cut short");
    }
    return body;
  }

  /** Reads until the server closes; true if it did (EOF or reset) within the socket timeout. */
  boolean closedByServer() {
    try {
      byte[] buffer = new byte[65536];
      while (in.read(buffer) >= 0) {
        // discard
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
