package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPayloads;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One RTSP client's RTP stream, an output on the hub's seam: the hub hands it one frame at a time (newest wins while
 * one is in flight); once its {@link RtpSink} (the RTSP connection, interleaved, or UDP) can take it, it writes all
 * of the frame's packets at once, each an RTP header + the camera's shared payload ({@link RtpFrames}),
 * and says {@link OutputHandle#ready()} when the last one went out. So a slow client gets fewer whole frames, never a
 * frame with packets missing; a stalled one is detached by the hub after the stall timeout and its connection closed
 * here.
 *
 * <p>RTP: version 2, payload type 26 (JPEG), a random SSRC, initial sequence number and timestamp offset per client;
 * the timestamp is the frame's capture time at 90 kHz. An RTCP sender report (mapping that timestamp to the frame's
 * wall-clock time) follows the first frame and then a frame every {@value #SENDER_REPORT_SECONDS} s.
 *
 * <p>{@link #onFrame} runs on the hub's fan-out thread and writes the frame from there (one gathering write per client
 * for an interleaved one-packet frame, {@link InterleavedSink}): no hop to the connection's event loop per client and
 * frame. The viewer's state is guarded by its monitor; it never blocks (a socket that does not take the frame leaves
 * the rest to Netty, which says when it went out). Lock order: this viewer, then the connection's
 * {@link SocketWriteGuard}; write futures only hand work to the event loop.
 */
public final class RtspViewer implements CameraOutput {
  static final int SENDER_REPORT_SECONDS = 5;
  private static final int PAYLOAD_TYPE_JPEG = 26;

  private final Channel channel;
  private final RtpSink sink;
  private final EventLoop loop;
  private final String cameraId;
  private final RtpFrames frames;
  private final LogLimiter logs;
  private final RtspCounters counters;
  private final int ssrc;
  private final int timestampOffset;
  private final ChannelFutureListener onWritten;
  private volatile OutputHandle handle;

  // Guarded by this.
  private CameraFrame unwritten;
  private boolean stopped;
  /** The RTP headers (and prefixes) of a frame, reused for the next frame once the write let go of it. */
  private ByteBuf headerBuffer;
  private int sequence;
  private long packets;
  private long octets;
  private long framesSent;
  private long lastReportNanos;
  private boolean reported;

  /** @param channel the client's RTSP connection, whose event loop runs this viewer */
  public RtspViewer(Channel channel, RtpSink sink, String cameraId, RtpFrames frames, LogLimiter logs,
      RtspCounters counters) {
    this.channel = channel;
    this.sink = sink;
    this.loop = channel.eventLoop();
    this.cameraId = cameraId;
    this.frames = frames;
    this.logs = logs;
    this.counters = counters;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.ssrc = random.nextInt();
    this.sequence = random.nextInt(1 << 16);
    this.timestampOffset = random.nextInt();
    // Completed inside a Netty flush (under the connection's guard) or on a UDP socket's loop: never take this
    // viewer's lock there.
    this.onWritten = f -> {
      try {
        loop.execute(() -> written(f));
      } catch (RejectedExecutionException e) {
        // the relay is shutting down: the connection closes with it
      }
    };
  }

  public int ssrc() {
    return ssrc;
  }

  @Override
  public synchronized void onAttached(OutputHandle h) {
    handle = h; // on the event loop: PLAY attaches
    stopped = false;
  }

  @Override
  public String kind() {
    return "rtsp";
  }

  @Override
  public synchronized void onFrame(CameraFrame frame) {
    if (!stopped) { // else handed over before PAUSE or TEARDOWN detached this viewer
      unwritten = frame;
      pump();
    }
  }

  /**
   * Writes the frame the hub handed over once the connection can take it (called again when it becomes writable).
   */
  public synchronized void pump() {
    if (unwritten == null || stopped || !channel.isActive() || !sink.writable()) {
      return;
    }
    CameraFrame frame = unwritten;
    unwritten = null;
    RtpFrame rtp = frames.retained(frame.jpeg());
    try {
      if (rtp.refusal() != null) {
        logs.warn("rtsp-refused:" + cameraId, "camera '" + cameraId + "': frame not sent over RTSP: "
            + rtp.refusal());
        handle.ready();
        return;
      }
      int timestamp = (int) (frame.captureMicros() * 9 / 100) + timestampOffset;
      ChannelFuture last = writePackets(rtp, timestamp);
      long now = System.nanoTime();
      if (!reported || now - lastReportNanos >= TimeUnit.SECONDS.toNanos(SENDER_REPORT_SECONDS)) {
        reported = true;
        lastReportNanos = now;
        ByteBuf report = channel.alloc().directBuffer(RtcpSenderReport.BYTES);
        RtcpSenderReport.write(report, ssrc, frame.receivedAtMicros(), timestamp, packets, octets);
        sink.writeRtcp(report);
      }
      sink.flush();
      if (last.isSuccess()) {
        sent(); // the socket took the whole frame at once
      } else {
        last.addListener(onWritten);
      }
    } finally {
      if (rtp.buffer() != null) {
        rtp.buffer().release();
      }
    }
  }

  private ChannelFuture writePackets(RtpFrame rtp, int timestamp) {
    RtpJpegPayloads payloads = rtp.payloads();
    int count = payloads.count();
    int prefix = sink.prefixBytes();
    int stride = prefix + RtpSink.RTP_HEADER;
    ByteBuf headers = headers(stride * count);
    // The buffer's own memory, checked once here, not by each of the ints set (ByteBuf.setInt checks every call).
    ByteBuffer out = headers.internalNioBuffer(0, stride * count).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0, at = out.position(); i < count; i++, at += stride) {
      boolean lastPacket = i == count - 1;
      sink.setPrefix(out, at, RtpSink.RTP_HEADER + payloads.length(i));
      int marker = lastPacket ? 0x80 : 0;
      out.putInt(at + prefix, 0x80 << 24 | (PAYLOAD_TYPE_JPEG | marker) << 16 | (sequence++ & 0xFFFF));
      out.putInt(at + prefix + 4, timestamp);
      out.putInt(at + prefix + 8, ssrc);
    }
    headers.writerIndex(stride * count);
    ChannelFuture last = sink.writeFrame(headers, rtp);
    packets += count;
    octets += payloads.totalBytes();
    counters.packets.add(count);
    counters.bytes.add(payloads.totalBytes());
    return last;
  }

  /**
   * An empty buffer for {@code bytes} of headers, with a reference for the sink: this viewer's own buffer again when
   * the last frame's write has released it (one frame is in flight at a time), so a frame allocates nothing here.
   */
  private ByteBuf headers(int bytes) {
    if (headerBuffer == null || headerBuffer.refCnt() != 1) {
      if (headerBuffer != null) {
        headerBuffer.release();
      }
      headerBuffer = channel.alloc().directBuffer(bytes);
    }
    return headerBuffer.clear().ensureWritable(bytes).retain();
  }

  /** On the event loop: a frame's last packet went out (or the write failed). */
  private synchronized void written(io.netty.util.concurrent.Future<? super Void> future) {
    if (!future.isSuccess()) {
      channel.close(); // the peer went away mid-write
      return;
    }
    sent();
  }

  // Guarded by this.
  private void sent() {
    framesSent++;
    counters.frames.increment();
    // From inside onFrame the hub hands over a waiting frame once onFrame returns; from written() it may do so right
    // here, on this thread (the lock is reentrant).
    handle.ready();
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    try {
      loop.execute(() -> {
        unwritten = null;
        channel.close();
      });
    } catch (RejectedExecutionException e) {
      channel.close();
    }
  }

  /**
   * Detaches from the camera and drops the frame not yet written and any handed over meanwhile (PAUSE, TEARDOWN,
   * connection closed), until PLAY attaches it again.
   */
  public synchronized void stop() {
    OutputHandle h = handle;
    if (h != null) {
      h.close();
    }
    unwritten = null;
    stopped = true;
    if (headerBuffer != null) {
      headerBuffer.release(); // a write still in flight holds its own reference
      headerBuffer = null;
    }
  }

  public synchronized long framesSent() {
    return framesSent;
  }

  public String transport() {
    return sink.describe();
  }

  public String cameraId() {
    return cameraId;
  }
}
