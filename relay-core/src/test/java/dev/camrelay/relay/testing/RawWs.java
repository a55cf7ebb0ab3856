package dev.camrelay.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A bare-socket WebSocket client for what a library client hides: the exact HTTP status of a refused handshake,
 * reading frames at a chosen pace, or not reading at all.
 */
public final class RawWs implements Closeable {
  public final Socket socket;
  public final String statusLine;
  public final String responseHead;
  private final DataInputStream in;

  private RawWs(Socket socket, String statusLine, String responseHead, DataInputStream in) {
    this.socket = socket;
    this.statusLine = statusLine;
    this.responseHead = responseHead;
    this.in = in;
  }

  public static RawWs open(int port, String path, Map<String, String> headers, int receiveBufferBytes)
      throws IOException {
    return open("127.0.0.1", port, path, headers, receiveBufferBytes);
  }

  /** Opens from the loopback address {@code fromAddress} (any of 127.0.0.0/8 on Linux, e.g. 127.0.0.2). */
  public static RawWs openFrom(String fromAddress, int port, String path) throws IOException {
    return open(fromAddress, port, path, Map.of(), 0);
  }

  private static RawWs open(String fromAddress, int port, String path, Map<String, String> headers,
      int receiveBufferBytes) throws IOException {
    Socket s = new Socket();
    if (receiveBufferBytes > 0) {
      s.setReceiveBufferSize(receiveBufferBytes);
    }
    s.bind(new InetSocketAddress(fromAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    StringBuilder req = new StringBuilder();
    req.append("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(new byte[16])).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    req.append("\r\n");
    OutputStream out = s.getOutputStream();
    out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    DataInputStream in = new DataInputStream(s.getInputStream());
    String head = readHead(in);
    String status = head.substring(0, head.indexOf("\r\n"));
    return new RawWs(s, status, head, in);
  }

  public static RawWs open(int port, String path) throws IOException {
    return open(port, path, Map.of(), 0);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the response head: " + buf);
      }
      buf.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }

  /** Reads the rest of a refused handshake's response body (up to Content-Length). */
  public String body() throws IOException {
    int len = 0;
    for (String line : responseHead.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        len = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A server frame: opcode and payload. */
  public record Frame(int opcode, byte[] payload) {}

  public Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    if ((b1 & 0x80) != 0) {
      throw new IOException("server frames must not be masked");
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** Reads frames until a binary one and returns its payload. */
  public byte[] readBinary() throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f.opcode() == 2) {
        return f.payload();
      }
      if (f.opcode() == 8) {
        throw new EOFException("server closed the WebSocket");
      }
    }
  }

  /** Sends a masked text frame (clients must mask). */
  public void sendText(String text) throws IOException {
    sendFrame(1, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendFrame(int opcode, byte[] payload) throws IOException {
    socket.getOutputStream().write(clientFrame(opcode, payload));
    socket.getOutputStream().flush();
  }

  /** A masked text frame as a client sends it; concatenate several to send them in one write. */
  public static byte[] textFrame(String text) {
    return clientFrame(1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A complete (FIN set), masked client frame. */
  public static byte[] clientFrame(int opcode, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x80 | opcode);
    int n = payload.length;
    if (n < 126) {
      f.write(0x80 | n);
    } else if (n <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write(n >> 8);
      f.write(n);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) n >> (8 * i)));
      }
    }
    byte[] mask = {1, 2, 3, 4};
    f.writeBytes(mask);
    for (int i = 0; i < n; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    return f.toByteArray();
  }

  /** True if the server closed the TCP connection (reads EOF or reset within the socket timeout). */
  public boolean closedByServer() {
    try {
      while (in.read() >= 0) {
        // drain
      }
      return true;
    } catch (IOException e) {
      return !(e instanceof java.net.SocketTimeoutException);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * The next binary message, read the way a real client does for minutes on end: pings are answered with pongs (the
   * relay drops connections that stop answering its pings), text and pongs are skipped, a close frame ends the
   * stream with an {@link java.io.EOFException}. Only the reading thread may call this.
   */
  public byte[] nextBinary() throws IOException {
    while (true) {
      Frame f = readFrame();
      switch (f.opcode()) {
        case 2 -> {
          return f.payload();
        }
        case 8 -> throw new java.io.EOFException("the relay closed the WebSocket");
        case 9 -> sendFrame(10, f.payload());
        default -> {
          // text (status messages of camrelay.v1) and pongs: not what we wait for
        }
      }
    }
  }
}
