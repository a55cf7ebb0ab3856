package dev.camrelay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The RTSP clients of {@code FanOutCost --rtsp}: N clients with RTP interleaved on their RTSP connection (SETUP
 * {@code RTP/AVP/TCP;interleaved=0-1}, PLAY), on one thread and one selector, reading as fast as they can. Same
 * output as {@link FanOutReaders}: {@code ready}, then per frame (an RTP packet with the marker bit on channel 0)
 * once every client has it, {@code <nanoTime first> <nanoTime last>}.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.camrelay.bench.RtspFanOutReaders PORT CLIENTS CAMERA
 * </pre>
 */
public final class RtspFanOutReaders {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    String base = "rtsp://127.0.0.1:" + port + "/" + args[2] + "/";
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    Selector selector = Selector.open();
    for (int i = 0; i < n; i++) {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      String setup = request(ch, "SETUP " + base + "trackID=0 RTSP/1.0\r\nCSeq: 1\r\n"
          + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
      int s = setup.toLowerCase(java.util.Locale.ROOT).indexOf("\r\nsession: ");
      if (!setup.startsWith("RTSP/1.0 200") || s < 0) {
        throw new IOException("client " + i + ": SETUP refused: " + setup.lines().findFirst().orElse(""));
      }
      String session = setup.substring(s + 11, s + 11 + 16);
      // PLAY's response is the last text on the connection: what follows it is interleaved data.
      ch.write(ByteBuffer.wrap(("PLAY " + base + " RTSP/1.0\r\nCSeq: 2\r\nSession: " + session + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII)));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, new Client(base, session));
    }
    out.println("ready");
    out.flush();
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    FrameArrivals arrivals = new FrameArrivals(n, out);
    long keepAlive = System.nanoTime();
    while (true) {
      selector.select(1000);
      if (System.nanoTime() - keepAlive > 10_000_000_000L) { // a run under valgrind outlasts the session timeout
        keepAlive = System.nanoTime();
        for (SelectionKey k : selector.keys()) {
          ((SocketChannel) k.channel()).write(((Client) k.attachment()).keepAlive());
        }
      }
      for (SelectionKey k : selector.selectedKeys()) {
        Client c = (Client) k.attachment();
        buf.clear();
        int r = ((SocketChannel) k.channel()).read(buf);
        if (r < 0) {
          return; // the relay went away: the run is over
        }
        buf.flip();
        arrivals.completed(c.consume(buf));
      }
      selector.selectedKeys().clear();
    }
  }

  /** Sends one request and reads its response (headers only: SETUP has no body). */
  private static String request(SocketChannel ch, String request) throws IOException {
    ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer head = ByteBuffer.allocate(4096);
    while (!(head.position() >= 4 && head.get(head.position() - 4) == '\r' && head.get(head.position() - 1) == '\n'
        && head.get(head.position() - 2) == '\r')) {
      if (ch.read(head) < 0) {
        throw new IOException("relay closed the connection");
      }
    }
    return new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
  }

  /** Walks one client's byte stream: the PLAY response, then {@code $}-prefixed packets. */
  private static final class Client {
    private final String base;
    private final String session;
    private boolean inResponse = true;
    private int crlf; // how many of \r\n\r\n were seen in a row
    private final byte[] prefix = new byte[6]; // $, channel, length (2), RTP version byte, marker byte
    private int prefixHave;
    private int left = -1; // bytes of the current packet still to skip after the prefix
    private boolean lastOfFrame; // the current packet is RTP with the marker bit

    Client(String base, String session) {
      this.base = base;
      this.session = session;
    }

    ByteBuffer keepAlive() {
      return ByteBuffer.wrap(("GET_PARAMETER " + base + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
    }

    int consume(ByteBuffer b) throws IOException {
      int completed = 0;
      while (b.hasRemaining()) {
        if (inResponse) {
          byte x = b.get();
          crlf = (x == (crlf % 2 == 0 ? '\r' : '\n')) ? crlf + 1 : (x == '\r' ? 1 : 0);
          inResponse = crlf < 4;
          continue;
        }
        if (left < 0) {
          if (prefixHave == 0 && b.get(b.position()) != '$') {
            inResponse = true; // the answer to a keep-alive (headers only)
            crlf = 0;
            continue;
          }
          prefix[prefixHave++] = b.get();
          if (prefixHave < prefix.length) {
            continue;
          }
          prefixHave = 0;
          left = (((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff)) - 2;
          lastOfFrame = prefix[1] == 0 && (prefix[5] & 0x80) != 0;
        }
        int take = Math.min(left, b.remaining());
        b.position(b.position() + take);
        left -= take;
        if (left == 0) {
          left = -1;
          if (lastOfFrame) {
            completed++;
          }
        }
      }
      return completed;
    }
  }

  private RtspFanOutReaders() {}
}
