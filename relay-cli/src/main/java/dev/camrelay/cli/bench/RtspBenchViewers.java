package dev.camrelay.cli.bench;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.rtp.RtpJpegException;
import dev.camrelay.frame.rtp.RtpJpegPacketizer;
import dev.camrelay.frame.rtp.RtpJpegPayloads;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;

/**
 * RTSP viewers for {@code camrelay bench --rtsp}: each one SETs UP and PLAYs the camera with RTP interleaved on its
 * RTSP connection (as NVRs and ffmpeg's {@code -rtsp_transport tcp} do), reads every packet on its own thread and
 * counts RTP/JPEG payload bytes (without the 4-byte interleave and 12-byte RTP headers) and whole frames.
 *
 * <p>Latency without a tag: RFC 2435 drops the JPEG's marker segments, so the bench tag (a COM segment) does not
 * arrive. Instead each viewer takes a CRC-32 of a frame's payloads and looks it up among the camera's source frames,
 * packetized here the way the relay does over TCP (payloads of up to
 * {@link RtpJpegPacketizer#MAX_PAYLOAD_BYTES}, re-coded to the standard Huffman tables when needed); the frame's send time is the last time the camera sent that source frame ({@link #sent}). So the source frames must
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
  private final List<Socket> sockets = new ArrayList<>();
  private volatile boolean closing;

  /**
   * @param url {@code rtsp://host:port/camera}
   * @param tokenOrNull viewer token, sent as Basic password
   * @param sources the camera's source frames, in the order it sends them
   * @throws IllegalArgumentException when RTP/JPEG cannot carry a source frame
   */
  RtspBenchViewers(URI url, String tokenOrNull, List<byte[]> sources) {
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
  int open(List<ViewerStats> stats, String[] firstError) throws InterruptedException {
    int playing = 0;
    for (int i = 0; i < stats.size(); i++) {
      CompletableFuture<Void> started = new CompletableFuture<>();
      ViewerStats v = stats.get(i);
      Thread t = new Thread(() -> read(v, started), "camrelay-bench-rtsp-" + i);
      t.setDaemon(true);
      t.start();
      try {
        started.get(30, TimeUnit.SECONDS);
        v.connected();
        playing++;
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (firstError[0] == null) {
          firstError[0] = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
      }
    }
    return playing;
  }

  private void read(ViewerStats stats, CompletableFuture<Void> started) {
    Socket socket = new Socket();
    synchronized (sockets) {
      sockets.add(socket);
    }
    try (socket) {
      int port = url.getPort() < 0 ? 554 : url.getPort();
      socket.connect(new InetSocketAddress(url.getHost(), port), 10_000);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      OutputStream out = socket.getOutputStream();
      String base = url.toString().endsWith("/") ? url.toString() : url + "/";
      String session = request(in, out, "SETUP " + base + "trackID=0", 1,
          "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
      request(in, out, "PLAY " + base, 2, "Session: " + session);
      started.complete(null);
      receive(in, out, stats);
    } catch (IOException | RuntimeException e) {
      if (!started.isDone()) {
        started.completeExceptionally(e);
      }
      // else: the relay closed the connection, or close() did: the viewer's numbers stand as they are
    }
  }

  /** Reads RTP until the connection ends: bytes per packet, a frame at each marker bit. */
  private void receive(DataInputStream in, OutputStream out, ViewerStats stats) throws IOException {
    byte[] packet = new byte[65_536];
    CRC32 crc = new CRC32();
    long frameBytes = 0;
    long lastReport = System.nanoTime();
    while (!closing) {
      if (in.readUnsignedByte() != '$') {
        throw new IOException("expected an interleaved packet");
      }
      int channel = in.readUnsignedByte();
      int length = in.readUnsignedShort();
      in.readFully(packet, 0, length);
      if (channel != 0 || length < 12) {
        continue; // RTCP sender reports
      }
      crc.update(packet, 12, length - 12);
      frameBytes += length - 12;
      if ((packet[1] & 0x80) != 0) {
        long now = System.nanoTime();
        Integer source = sourceByCrc.get(crc.getValue());
        double sentMillis = source == null || source < 0 ? Double.NaN
            : Double.longBitsToDouble(sentMillisBits.get(source));
        stats.onRtpFrame(frameBytes, sentMillis == 0 ? Double.NEGATIVE_INFINITY : sentMillis, now);
        crc.reset();
        frameBytes = 0;
        if (now - lastReport > KEEP_ALIVE_NANOS) {
          out.write(RECEIVER_REPORT);
          lastReport = now;
        }
      }
    }
  }

  /** Sends one request and reads its response; returns the session id. */
  private String request(DataInputStream in, OutputStream out, String line, int cseq, String header)
      throws IOException {
    String auth = basicAuth == null ? "" : "Authorization: " + basicAuth + "\r\n";
    out.write((line + " RTSP/1.0\r\nCSeq: " + cseq + "\r\n" + header + "\r\n" + auth + "\r\n")
        .getBytes(StandardCharsets.UTF_8));
    out.flush();
    String status = readLine(in);
    String session = null;
    int contentLength = 0;
    for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("session:")) {
        session = h.substring(8).trim().split(";")[0];
      } else if (lower.startsWith("content-length:")) {
        contentLength = Integer.parseInt(h.substring(15).trim());
      }
    }
    in.skipNBytes(contentLength);
    if (!status.startsWith("RTSP/1.0 200")) {
      throw new IOException(line.substring(0, line.indexOf(' ')) + " answered " + status);
    }
    return session;
  }

  private static String readLine(DataInputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.readUnsignedByte(); c != '\n'; c = in.readUnsignedByte()) {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** Closes every viewer's connection; their threads end. */
  @Override
  public void close() {
    closing = true;
    synchronized (sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
