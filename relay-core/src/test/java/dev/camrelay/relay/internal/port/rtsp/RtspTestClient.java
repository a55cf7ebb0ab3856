package dev.camrelay.relay.internal.port.rtsp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A bare RTSP/1.0 client over a socket, for checking the server's bytes: requests, responses, $-packets. */
final class RtspTestClient implements AutoCloseable {
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One {@code $}-framed packet. */
  record Interleaved(int channel, byte[] data) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int cseq;

  RtspTestClient(int port) throws IOException {
    this(port, 0);
  }

  /** @param receiveBuffer the socket's receive buffer in bytes (small: a client that reads slowly), 0 for default */
  RtspTestClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Sends a request with CSeq and the given header lines, and reads its response (skipping $-packets). */
  Response request(String method, String url, String... headerLines) throws IOException {
    StringBuilder sb = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n")
        .append("CSeq: ").append(++cseq).append("\r\n");
    for (String h : headerLines) {
      sb.append(h).append("\r\n");
    }
    sb.append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return readResponse();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Response readResponse() throws IOException {
    int first;
    while ((first = in.read()) == '$') {
      in.readUnsignedByte();
      in.skipNBytes(in.readUnsignedShort());
    }
    return responseStartingWith(first);
  }

  /** The next thing the server sent: an {@link Interleaved} packet or a {@link Response}. */
  Object readPacketOrResponse() throws IOException {
    int first = in.read();
    if (first == '$') {
      int channel = in.readUnsignedByte();
      return new Interleaved(channel, in.readNBytes(in.readUnsignedShort()));
    }
    return responseStartingWith(first);
  }

  private Response responseStartingWith(int first) throws IOException {
    if (first < 0) {
      throw new IOException("connection closed before a response");
    }
    if (first != 'R') {
      throw new IOException("expected '$' or an RTSP response, got " + first);
    }
    String statusLine = (char) first + readLine();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      // a header sent twice (two WWW-Authenticate challenges) keeps both values, one per line
      headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
          (a, b) -> a + "\n" + b);
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
  }

  /** The next {@code $}-framed packet. */
  Interleaved readInterleaved() throws IOException {
    int dollar = in.read();
    if (dollar != '$') {
      throw new IOException("expected '$', got " + dollar);
    }
    int channel = in.readUnsignedByte();
    byte[] data = in.readNBytes(in.readUnsignedShort());
    return new Interleaved(channel, data);
  }

  /** SETUP (interleaved 0-1) and PLAY {@code camera}; returns the session id. */
  String play(int port, String camera) throws IOException {
    String base = "rtsp://127.0.0.1:" + port + "/" + camera + "/";
    Response setup = request("SETUP", base + "trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
    if (setup.status() != 200) {
      throw new IOException("SETUP answered " + setup.status() + ": " + setup.body());
    }
    String session = setup.header("Session").substring(0, 16);
    Response play = request("PLAY", base, "Session: " + session);
    if (play.status() != 200) {
      throw new IOException("PLAY answered " + play.status() + ": " + play.body());
    }
    return session;
  }

  /** The RTP payloads of the next whole frame (RTCP packets skipped), checking one timestamp per frame. */
  java.util.List<byte[]> readFrame() throws IOException {
    java.util.List<byte[]> payloads = new java.util.ArrayList<>();
    Integer timestamp = null;
    while (true) {
      Interleaved p = readInterleaved();
      if (p.channel() != 0) {
        continue;
      }
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(p.data());
      if (timestamp != null && b.getInt(4) != timestamp) {
        throw new IOException("a frame's packets carry different timestamps: packets of a frame went missing");
      }
      timestamp = b.getInt(4);
      payloads.add(java.util.Arrays.copyOfRange(p.data(), 12, p.data().length));
      if ((b.get(1) & 0x80) != 0) {
        return payloads;
      }
    }
  }

  /** Whether the server closed the connection (reads until end of stream, within the socket timeout). */
  boolean closedByServer() {
    try {
      while (in.read() >= 0) {
        // drain
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** Reads and drops {@code n} bytes, wherever they fall (in the middle of a packet, say). */
  void skipBytes(int n) throws IOException {
    in.skipNBytes(n);
  }

  /** Ends the connection with a reset (no FIN), as a client that crashes or loses its network does. */
  void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
