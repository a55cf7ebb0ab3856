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
import java.util.concurrent.atomic.AtomicReference;

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
 * <p>{@link #onFrame} runs on a relay thread and never blocks; all other state lives on the connection's event loop.
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
  /** The frame {@link #onFrame} handed over, taken on the event loop by {@link #takeHandedOver}. */
  private final AtomicReference<CameraFrame> handedOver = new AtomicReference<>();
  private final Runnable takeHandedOver = this::takeHandedOver; // one task for every frame: nothing allocated
  private volatile OutputHandle handle;

  // Event-loop state.
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
    this.onWritten = f -> {
      if (loop.inEventLoop()) {
        written(f);
      } else {
        loop.execute(() -> written(f)); // a UDP socket's own loop completed the write
      }
    };
  }

  public int ssrc() {
    return ssrc;
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h; // on the event loop: PLAY attaches
    stopped = false;
  }

  @Override
  public String kind() {
    return "rtsp";
  }

  @Override
  public void onFrame(CameraFrame frame) {
    handedOver.set(frame);
    try {
      loop.execute(takeHandedOver);
    } catch (RejectedExecutionException e) {
      handle.close(); // the relay is shutting down; this client is about to be closed
    }
  }

  private void takeHandedOver() {
    CameraFrame frame = handedOver.getAndSet(null);
    if (frame != null && !stopped) { // else handed over before PAUSE or TEARDOWN detached this viewer
      unwritten = frame;
      pump();
    }
  }

  /** Writes the frame the hub handed over once the connection can take it. Event loop only. */
  public void pump() {
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
        written(last); // the socket took the whole frame at once
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

  private void written(io.netty.util.concurrent.Future<? super Void> future) {
    if (!future.isSuccess()) {
      channel.close(); // the peer went away mid-write
      return;
    }
    framesSent++;
    counters.frames.increment();
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
   * connection closed), until PLAY attaches it again. Event loop only.
   */
  public void stop() {
    OutputHandle h = handle;
    if (h != null) {
      h.close();
    }
    unwritten = null;
    handedOver.set(null);
    stopped = true;
    if (headerBuffer != null) {
      headerBuffer.release(); // a write still in flight holds its own reference
      headerBuffer = null;
    }
  }

  public long framesSent() {
    return framesSent;
  }

  public String transport() {
    return sink.describe();
  }

  public String cameraId() {
    return cameraId;
  }
}
