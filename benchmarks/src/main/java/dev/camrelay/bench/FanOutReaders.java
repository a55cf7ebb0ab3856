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
 * The viewers of {@link FanOutCost}: N plain WebSocket viewers on one thread and one selector, reading as fast as
 * they can. Prints {@code ready} once every handshake is done, then one line per frame once every viewer has all of
 * it: {@code <nanoTime the first viewer had it> <nanoTime the last viewer had it>} (same clock as the relay's JVM on
 * Linux). Expects every viewer to receive every frame (lock-step publishing), binary frames only.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.camrelay.bench.FanOutReaders PORT VIEWERS PATH
 * </pre>
 */
public final class FanOutReaders {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    String path = args[2];
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    Selector selector = Selector.open();
    Viewer[] viewers = new Viewer[n];
    for (int i = 0; i < n; i++) {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
      viewers[i] = new Viewer();
      ByteBuffer head = ByteBuffer.allocate(4096);
      while (!endsHeaders(head)) {
        if (ch.read(head) < 0) {
          throw new IOException("relay closed viewer " + i + " during the handshake");
        }
      }
      String response = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
      if (!response.startsWith("HTTP/1.1 101")) {
        throw new IOException("viewer " + i + " refused: " + response.lines().findFirst().orElse(""));
      }
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, viewers[i]);
    }
    out.println("ready");
    out.flush();
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    FrameArrivals arrivals = new FrameArrivals(n, out);
    while (true) {
      selector.select();
      for (SelectionKey k : selector.selectedKeys()) {
        Viewer v = (Viewer) k.attachment();
        buf.clear();
        int r = ((SocketChannel) k.channel()).read(buf);
        if (r < 0) {
          return; // the relay went away: the run is over
        }
        buf.flip();
        arrivals.completed(v.consume(buf));
      }
      selector.selectedKeys().clear();
    }
  }

  private static boolean endsHeaders(ByteBuffer b) {
    int p = b.position();
    return p >= 4 && b.get(p - 4) == '\r' && b.get(p - 3) == '\n' && b.get(p - 2) == '\r' && b.get(p - 1) == '\n';
  }

  /** Walks one viewer's byte stream frame by frame (server frames: unmasked). */
  private static final class Viewer {
    private final byte[] header = new byte[10];
    private int headerHave;
    private long payloadLeft = -1;

    /** Consumes {@code b}; returns how many frames it completed. */
    int consume(ByteBuffer b) throws IOException {
      int completed = 0;
      while (b.hasRemaining()) {
        if (payloadLeft < 0) {
          header[headerHave++] = b.get();
          int need = headerHave < 2 ? 2 : headerLength(header[1]);
          if (headerHave < need) {
            continue;
          }
          if ((header[0] & 0x0f) != 2) {
            throw new IOException("expected a binary frame, got opcode " + (header[0] & 0x0f));
          }
          payloadLeft = payloadLength();
          headerHave = 0;
        }
        int take = (int) Math.min(payloadLeft, b.remaining());
        b.position(b.position() + take);
        payloadLeft -= take;
        if (payloadLeft == 0) {
          payloadLeft = -1;
          completed++;
        }
      }
      return completed;
    }

    private static int headerLength(byte len) {
      int l = len & 0x7f;
      return l < 126 ? 2 : l == 126 ? 4 : 10;
    }

    private long payloadLength() {
      int l = header[1] & 0x7f;
      if (l < 126) {
        return l;
      }
      if (l == 126) {
        return ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      }
      long v = 0;
      for (int i = 2; i < 10; i++) {
        v = (v << 8) | (header[i] & 0xff);
      }
      return v;
    }
  }

  private FanOutReaders() {}
}
