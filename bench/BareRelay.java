import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The floor as a relay: the least any relay can do for {@code bench.mjs}, so that its CPU per GB is measured by the
 * same harness, with the same viewers reading the same way, as camrelay's and the Node relay's. {@code WriteFloor.java}
 * gives the floor with its own fast readers; a viewer that reads slower (bench.mjs parses every WebSocket message on
 * one event loop) leaves more data queued in the kernel and changes what each write costs there.
 *
 * <pre>
 *   java [JVM flags] bench/BareRelay.java [--tcp-port 3008] [--ws-port 3009]
 * </pre>
 *
 * One thread and one selector do everything, as in the Node relay: the camera port (a connection per frame read to
 * its end, or tagged JPEGs back to back on one connection, cut by the length in bench.mjs's tag), WebSocket
 * handshakes (no checks beyond the key), and each frame written as one binary message to every viewer with one
 * {@code write(2)} each, from a direct buffer all viewers share. A viewer whose socket is full finishes its frame when
 * the socket drains and skips the frames published meanwhile; nothing else: no auth, no per-camera state, no limits,
 * no metrics, no bad-input handling beyond closing the connection. Not a relay to use.
 */
public final class BareRelay {
  private static final int MAX_FRAME = 8 * 1024 * 1024;

  private final Selector selector = Selector.open();
  private final List<Viewer> viewers = new ArrayList<>();
  private final ArrayDeque<Frame> pool = new ArrayDeque<>();
  /** Camera read buffers, reused: a camera that opens a connection per frame must not cost an allocation each. */
  private final ArrayDeque<ByteBuffer> cameraBuffers = new ArrayDeque<>();

  /** One frame as a WebSocket message, shared by the viewers that still write it. */
  private static final class Frame {
    final ByteBuffer buf;
    int holders;

    Frame(int capacity) {
      buf = ByteBuffer.allocateDirect(capacity);
    }
  }

  private static final class Viewer {
    final SocketChannel channel;
    final SelectionKey key;
    ByteBuffer handshake = ByteBuffer.allocate(4096);
    boolean open;
    Frame pendingFrame;
    ByteBuffer pending;

    Viewer(SocketChannel channel, SelectionKey key) {
      this.channel = channel;
      this.key = key;
    }
  }

  private static final class Camera {
    final ByteBuffer in;

    Camera(ByteBuffer in) {
      this.in = in;
    }
  }

  private BareRelay() throws IOException {}

  public static void main(String[] args) throws Exception {
    int tcpPort = intArg(args, "--tcp-port", 3008);
    int wsPort = intArg(args, "--ws-port", 3009);
    new BareRelay().run(tcpPort, wsPort);
  }

  private void run(int tcpPort, int wsPort) throws IOException {
    ServerSocketChannel cameras = ServerSocketChannel.open();
    cameras.bind(new InetSocketAddress("127.0.0.1", tcpPort), 256);
    cameras.configureBlocking(false);
    cameras.register(selector, SelectionKey.OP_ACCEPT, "cameras");
    ServerSocketChannel ws = ServerSocketChannel.open();
    ws.bind(new InetSocketAddress("127.0.0.1", wsPort), 1024);
    ws.configureBlocking(false);
    ws.register(selector, SelectionKey.OP_ACCEPT, "viewers");
    ByteBuffer discard = ByteBuffer.allocateDirect(64 * 1024);
    while (true) {
      selector.select();
      for (SelectionKey k : selector.selectedKeys()) {
        try {
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            accept(k);
          } else if (k.attachment() instanceof Camera c) {
            readCamera(k, c);
          } else if (k.attachment() instanceof Viewer v) {
            if (k.isWritable()) {
              finishPending(v);
            }
            if (k.isValid() && k.isReadable()) {
              readViewer(v, discard);
            }
          }
        } catch (IOException e) {
          close(k);
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private void accept(SelectionKey k) throws IOException {
    SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
    if (c == null) {
      return;
    }
    c.configureBlocking(false);
    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
    if ("cameras".equals(k.attachment())) {
      ByteBuffer in = cameraBuffers.pollFirst();
      c.register(selector, SelectionKey.OP_READ, new Camera(in != null ? in : ByteBuffer.allocateDirect(MAX_FRAME)));
    } else {
      SelectionKey vk = c.register(selector, SelectionKey.OP_READ);
      vk.attach(new Viewer(c, vk));
    }
  }

  /** Reads what the camera sent; publishes every whole frame; a connection's untagged bytes are a frame at EOF. */
  private void readCamera(SelectionKey k, Camera c) throws IOException {
    SocketChannel ch = (SocketChannel) k.channel();
    int n;
    while ((n = ch.read(c.in)) > 0) {
      publishWhole(c);
    }
    if (n < 0) {
      c.in.flip();
      if (c.in.remaining() > 0) {
        publish(c.in, c.in.remaining());
      }
      close(k);
    } else if (!c.in.hasRemaining()) {
      throw new IOException("frame larger than " + MAX_FRAME);
    }
  }

  /** Publishes the tagged frames wholly in {@code c.in} (bench.mjs: FF D8 FF FE 00 16 'CRB1' seq len ...). */
  private void publishWhole(Camera c) {
    c.in.flip();
    while (c.in.remaining() >= 18) {
      int p = c.in.position();
      if (c.in.get(p + 6) != 'C' || c.in.get(p + 7) != 'R' || c.in.get(p + 8) != 'B' || c.in.get(p + 9) != '1') {
        break; // untagged: read to the end of the connection
      }
      int len = c.in.getInt(p + 14);
      if (len > MAX_FRAME || c.in.remaining() < len) {
        break;
      }
      publish(c.in, len);
    }
    c.in.compact();
  }

  /** Sends the next {@code len} bytes of {@code src} to every viewer as one binary WebSocket message. */
  private void publish(ByteBuffer src, int len) {
    Frame f = pool.pollFirst();
    if (f == null || f.buf.capacity() < len + 10) {
      f = new Frame(Math.max(len + 10, 64 * 1024));
    }
    ByteBuffer b = f.buf;
    b.clear();
    b.put((byte) 0x82);
    if (len < 126) {
      b.put((byte) len);
    } else if (len < 65536) {
      b.put((byte) 126).putShort((short) len);
    } else {
      b.put((byte) 127).putLong(len);
    }
    ByteBuffer body = src.slice(src.position(), len);
    b.put(body).flip();
    src.position(src.position() + len);
    for (int i = 0; i < viewers.size(); i++) {
      Viewer v = viewers.get(i);
      if (v.pending != null) {
        continue; // still writing an earlier frame: this one is skipped
      }
      ByteBuffer d = b.duplicate();
      try {
        v.channel.write(d);
      } catch (IOException e) {
        close(v.key);
        i--;
        continue;
      }
      if (d.hasRemaining()) {
        v.pending = d;
        v.pendingFrame = f;
        f.holders++;
        v.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
    }
    if (f.holders == 0) {
      pool.addFirst(f);
    }
  }

  private void finishPending(Viewer v) throws IOException {
    if (v.pending == null) {
      v.key.interestOps(SelectionKey.OP_READ);
      return;
    }
    v.channel.write(v.pending);
    if (!v.pending.hasRemaining()) {
      release(v);
      v.key.interestOps(SelectionKey.OP_READ);
    }
  }

  private void release(Viewer v) {
    Frame f = v.pendingFrame;
    v.pending = null;
    v.pendingFrame = null;
    if (f != null && --f.holders == 0) {
      pool.addFirst(f);
    }
  }

  private void readViewer(Viewer v, ByteBuffer discard) throws IOException {
    if (v.open) {
      discard.clear();
      if (v.channel.read(discard) < 0) {
        close(v.key);
      }
      return; // a viewer's messages (close, pong) are not answered
    }
    if (v.channel.read(v.handshake) < 0 || !v.handshake.hasRemaining()) {
      throw new IOException("no handshake");
    }
    String request = new String(v.handshake.array(), 0, v.handshake.position(), StandardCharsets.ISO_8859_1);
    if (!request.contains("\r\n\r\n")) {
      return;
    }
    String key = null;
    for (String line : request.split("\r\n")) {
      if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
        key = line.substring(18).trim();
      }
    }
    if (key == null) {
      throw new IOException("no Sec-WebSocket-Key");
    }
    String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
    ByteBuffer out = ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1));
    while (out.hasRemaining()) {
      v.channel.write(out); // a fresh socket takes 130 bytes at once
    }
    v.handshake = null;
    v.open = true;
    viewers.add(v);
  }

  private static String accept(String key) throws IOException {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }

  private void close(SelectionKey k) {
    if (k.attachment() instanceof Viewer v) {
      viewers.remove(v);
      release(v);
    } else if (k.attachment() instanceof Camera c) {
      c.in.clear();
      cameraBuffers.addFirst(c.in);
      k.attach(null);
    }
    k.cancel();
    try {
      k.channel().close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
