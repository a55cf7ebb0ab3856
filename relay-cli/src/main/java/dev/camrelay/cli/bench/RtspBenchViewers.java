package dev.camrelay.cli.bench;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.rtp.RtpJpegException;
import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.frame.rtp.RtpJpegPayloads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;

/**
 * RTSP viewers for {@code camrelay bench --rtsp}: each one SETs UP and PLAYs the camera with RTP interleaved on its
 * RTSP connection (as NVRs and ffmpeg's {@code -rtsp_transport tcp} do); a few reader threads, each with a selector,
 * read every packet and count RTP/JPEG payload bytes (without the 4-byte interleave and 12-byte RTP headers) and
 * whole frames.
 *
 * <p>Latency without a tag: RFC 2435 drops the JPEG's marker segments, so the bench tag (a COM segment) does not
 * arrive. Instead each viewer takes a CRC-32 of a frame's payloads and looks it up among the camera's source frames,
 * packetized here the way the relay does over TCP (payloads of up to {@link RtpJpegPacketizer#MAX_PAYLOAD_BYTES},
 * re-coded to the standard Huffman tables when needed); the frame's send time is the last time the camera sent that
 * source frame ({@link #sent}). So the source frames must
 * differ from each other and the latency must stay below one loop of them (60 frames at 30 fps: 2 s); frames that
 * match no source frame, or several, count as untagged. Latency is to the frame's last packet (the marker bit).
 *
 * <p>Limits: one camera, no slow viewers, no UDP; keep-alive is an RTCP receiver report every 10 s on the interleaved
 * RTCP channel.
 */
final class RtspBenchViewers implements AutoCloseable {
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** RFC 3550 receiver report without report blocks, interleaved on channel 1. */
  private static final byte[] RECEIVER_REPORT = {'$', 1, 0, 8, (byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};

  private final URI url;
  private final String basicAuth;
  private final Map<Long, Integer> sourceByCrc = new HashMap<>();
  private final AtomicLongArray sentMillisBits;
  private final List<SocketChannel> sockets = new ArrayList<>();
  private final Reader[] readers;
  private volatile boolean closing;

  /**
   * @param url {@code rtsp://host:port/camera}
   * @param tokenOrNull viewer token, sent as Basic password
   * @param sources the camera's source frames, in the order it sends them
   * @param threads reader threads (as many as the WebSocket viewers' event loops)
   * @throws IllegalArgumentException when RTP/JPEG cannot carry a source frame
   */
  RtspBenchViewers(URI url, String tokenOrNull, List<byte[]> sources, int threads) {
    this.readers = new Reader[threads];
    this.url = url;
    this.basicAuth = tokenOrNull == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString(("bench:" + tokenOrNull).getBytes(StandardCharsets.UTF_8));
    RtpJpegPacketizer packetizer = new RtpJpegPacketizer(RtpJpegPacketizer.MAX_PAYLOAD_BYTES);
    for (int i = 0; i < sources.size(); i++) {
      try {
        RtpJpegPayloads payloads = packetizer.packetize(JpegFrame.parse(sources.get(i)));
        CRC32 crc = new CRC32();
        crc.update(payloads.asByteBuffer());
        Integer earlier = sourceByCrc.putIfAbsent(crc.getValue(), i);
        if (earlier != null) {
          sourceByCrc.put(crc.getValue(), -1); // two identical frames: their latency cannot be told apart
        }
      } catch (RtpJpegException | JpegFormatException e) {
        throw new IllegalArgumentException("source frame " + i + " cannot go over RTSP: " + e.getMessage());
      }
    }
    sentMillisBits = new AtomicLongArray(sources.size());
  }

  /** The camera sends source frame {@code index} at {@code sentMillis} ({@link BenchClock}). */
  void sent(int index, double sentMillis) {
    sentMillisBits.set(index, Double.doubleToRawLongBits(sentMillis));
  }

  /**
   * Opens one viewer per entry of {@code stats}, each playing before the next connects; returns how many play, and
   * the first failure's message in {@code firstError[0]}.
   */
  int open(List<ViewerStats> stats, String[] firstError) throws IOException {
    for (int i = 0; i < readers.length; i++) {
      readers[i] = new Reader();
      Thread t = new Thread(readers[i], "camrelay-bench-rtsp-" + i);
      t.setDaemon(true);
      t.start();
    }
    int playing = 0;
    for (int i = 0; i < stats.size(); i++) {
      ViewerStats v = stats.get(i);
      try {
        Connection c = play(v);
        v.connected();
        readers[i % readers.length].add(c);
        playing++;
      } catch (IOException | RuntimeException e) {
        if (firstError[0] == null) {
          firstError[0] = e.getMessage() == null ? e.toString() : e.getMessage();
        }
      }
    }
    return playing;
  }

  /** Connects, SETs UP and PLAYs (blocking); the connection then goes to a reader. */
  private Connection play(ViewerStats stats) throws IOException {
    int port = url.getPort() < 0 ? 554 : url.getPort();
    SocketChannel socket = SocketChannel.open();
    synchronized (sockets) {
      sockets.add(socket);
    }
    socket.socket().connect(new InetSocketAddress(url.getHost(), port), 10_000);
    socket.socket().setSoTimeout(10_000);
    Connection c = new Connection(socket, stats);
    String base = url.toString().endsWith("/") ? url.toString() : url + "/";
    String session = request(c, "SETUP " + base + "trackID=0", 1, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
    request(c, "PLAY " + base, 2, "Session: " + session);
    socket.configureBlocking(false);
    return c;
  }

  /** One viewer's connection and what it has read but not yet handled (the reader's thread only, once playing). */
  private static final class Connection {
    final SocketChannel socket;
    final ViewerStats stats;
    final ByteBuffer in = ByteBuffer.allocateDirect(4 + 65_535 + (1 << 16)).flip();
    final CRC32 crc = new CRC32();
    long frameBytes;
    long lastReport = System.nanoTime();

    Connection(SocketChannel socket, ViewerStats stats) {
      this.socket = socket;
      this.stats = stats;
    }

    /** Reads (blocking, during set-up) until {@code in} holds at least {@code n} bytes. */
    void fill(int n) throws IOException {
      while (in.remaining() < n) {
        in.compact();
        int r = socket.read(in);
        in.flip();
        if (r < 0) {
          throw new IOException("connection closed by the relay");
        }
      }
    }
  }

  /**
   * A few threads read all viewers, each with its own selector, as the WebSocket viewers' event loops do (a thread
   * per viewer would make every frame the relay writes wake a thread, and on loopback the relay pays for that wake-up
   * in its own {@code write(2)}: the two protocols would not be compared on the same terms).
   */
  private final class Reader implements Runnable {
    private final Selector selector;
    private final java.util.Queue<Connection> added = new java.util.concurrent.ConcurrentLinkedQueue<>();

    Reader() throws IOException {
      selector = Selector.open();
    }

    void add(Connection c) {
      added.add(c);
      selector.wakeup();
    }

    @Override
    public void run() {
      try (selector) {
        while (!closing) {
          selector.select(500);
          for (Connection c; (c = added.poll()) != null; ) {
            try {
              c.socket.register(selector, SelectionKey.OP_READ, c);
              receive(c); // bytes that came with the PLAY response
            } catch (IOException e) {
              c.socket.close();
            }
          }
          for (SelectionKey key : selector.selectedKeys()) {
            Connection c = (Connection) key.attachment();
            try {
              receive(c);
            } catch (IOException e) {
              key.cancel(); // the relay closed the connection, or close() did: the numbers stand as they are
              c.socket.close();
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        // closing
      }
    }
  }

  /**
   * Handles every whole packet {@code c} has read, then reads what the socket has, until it has no more: bytes per
   * packet, a frame at each marker bit.
   */
  private void receive(Connection c) throws IOException {
    ByteBuffer in = c.in;
    while (true) {
      while (in.remaining() >= 4) {
        int at = in.position();
        if (in.get(at) != '$') {
          throw new IOException("expected an interleaved packet");
        }
        int channel = in.get(at + 1) & 0xFF;
        int length = in.getShort(at + 2) & 0xFFFF;
        if (in.remaining() < 4 + length) {
          break;
        }
        if (channel == 0 && length >= 12) {
          boolean marker = (in.get(at + 5) & 0x80) != 0;
          int end = in.limit();
          in.limit(at + 4 + length).position(at + 16);
          c.crc.update(in);
          in.limit(end);
          c.frameBytes += length - 12;
          if (marker) {
            frameDone(c);
          }
        }
        in.position(at + 4 + length);
      }
      in.compact();
      int r = c.socket.read(in);
      in.flip();
      if (r < 0) {
        throw new IOException("connection closed by the relay");
      }
      if (r == 0) {
        return;
      }
    }
  }

  private void frameDone(Connection c) throws IOException {
    long now = System.nanoTime();
    Integer source = sourceByCrc.get(c.crc.getValue());
    double sentMillis = source == null || source < 0 ? Double.NaN
        : Double.longBitsToDouble(sentMillisBits.get(source));
    c.stats.onRtpFrame(c.frameBytes, sentMillis == 0 ? Double.NEGATIVE_INFINITY : sentMillis, now);
    c.crc.reset();
    c.frameBytes = 0;
    if (now - c.lastReport > KEEP_ALIVE_NANOS) {
      c.socket.write(ByteBuffer.wrap(RECEIVER_REPORT)); // 12 bytes: the socket takes them
      c.lastReport = now;
    }
  }

  /** Sends one request and reads its response (blocking); returns the session id. */
  private String request(Connection c, String line, int cseq, String header) throws IOException {
    String auth = basicAuth == null ? "" : "Authorization: " + basicAuth + "\r\n";
    ByteBuffer out = ByteBuffer.wrap((line + " RTSP/1.0\r\nCSeq: " + cseq + "\r\n" + header + "\r\n" + auth
        + "\r\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      c.socket.write(out);
    }
    String status = readLine(c);
    String session = null;
    int contentLength = 0;
    for (String h = readLine(c); !h.isEmpty(); h = readLine(c)) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("session:")) {
        session = h.substring(8).trim().split(";")[0];
      } else if (lower.startsWith("content-length:")) {
        contentLength = Integer.parseInt(h.substring(15).trim());
      }
    }
    c.fill(contentLength);
    c.in.position(c.in.position() + contentLength);
    if (!status.startsWith("RTSP/1.0 200")) {
      throw new IOException(line.substring(0, line.indexOf(' ')) + " answered " + status);
    }
    return session;
  }

  private static String readLine(Connection c) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      c.fill(1);
      int b = c.in.get() & 0xFF;
      if (b == '\n') {
        return sb.toString();
      }
      if (b != '\r') {
        sb.append((char) b);
      }
    }
  }

  /** Closes every viewer's connection; the reader threads end. */
  @Override
  public void close() {
    closing = true;
    for (Reader r : readers) {
      if (r != null) {
        r.selector.wakeup();
      }
    }
    synchronized (sockets) {
      for (SocketChannel s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
