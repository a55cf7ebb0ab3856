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
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One RTSP client's RTP stream over its RTSP connection (interleaved, RFC 2326 10.12), an output on the hub's seam:
 * the hub hands it one frame at a time (newest wins while one is in flight); once the connection is writable it
 * writes all of the frame's packets at once, each as {@code $ channel length} + RTP header + a slice of the
 * camera's shared payloads ({@link RtpFrames}), and says {@link OutputHandle#ready()} when the last one went out.
 * So a slow client gets fewer whole frames, never a frame with packets missing; a stalled one is detached by the hub
 * after the stall timeout and its connection closed here.
 *
 * <p>RTP: version 2, payload type 26 (JPEG), a random SSRC, initial sequence number and timestamp offset per client;
 * the timestamp is the frame's capture time at 90 kHz. An RTCP sender report (mapping that timestamp to the frame's
 * wall-clock time) follows the first frame and then a frame every {@value #SENDER_REPORT_SECONDS} s.
 *
 * <p>{@link #onFrame} runs on a relay thread and never blocks; all other state lives on the connection's event loop.
 */
public final class RtspViewer implements CameraOutput {
  static final int SENDER_REPORT_SECONDS = 5;
  private static final int INTERLEAVED_HEADER = 4;
  private static final int RTP_HEADER = 12;
  private static final int PAYLOAD_TYPE_JPEG = 26;

  private final Channel channel;
  private final ChannelOutboundInvoker rawOut;
  private final EventLoop loop;
  private final String cameraId;
  private final RtpFrames frames;
  private final LogLimiter logs;
  private final int rtpChannel;
  private final int rtcpChannel;
  private final int ssrc;
  private final int timestampOffset;
  private volatile OutputHandle handle;

  // Event-loop state.
  private CameraFrame unwritten;
  private int sequence;
  private long packets;
  private long octets;
  private long framesSent;
  private long lastReportNanos;
  private boolean reported;

  /**
   * @param rawOut where RTP and RTCP bytes are written: the pipeline below the RTSP response encoder
   * @param rtpChannel the interleaved channel for RTP; {@code rtcpChannel} the one for RTCP
   */
  public RtspViewer(Channel channel, ChannelOutboundInvoker rawOut, String cameraId, RtpFrames frames,
      LogLimiter logs, int rtpChannel, int rtcpChannel) {
    this.channel = channel;
    this.rawOut = rawOut;
    this.loop = channel.eventLoop();
    this.cameraId = cameraId;
    this.frames = frames;
    this.logs = logs;
    this.rtpChannel = rtpChannel;
    this.rtcpChannel = rtcpChannel;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.ssrc = random.nextInt();
    this.sequence = random.nextInt(1 << 16);
    this.timestampOffset = random.nextInt();
  }

  public int ssrc() {
    return ssrc;
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h;
  }

  @Override
  public String kind() {
    return "rtsp";
  }

  @Override
  public void onFrame(CameraFrame frame) {
    try {
      loop.execute(() -> {
        unwritten = frame;
        pump();
      });
    } catch (RejectedExecutionException e) {
      handle.close(); // the relay is shutting down; this client is about to be closed
    }
  }

  /** Writes the frame the hub handed over once the connection can take it. Event loop only. */
  public void pump() {
    if (unwritten == null || !channel.isActive() || !channel.isWritable()) {
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
        ByteBuf report = channel.alloc().directBuffer(INTERLEAVED_HEADER + RtcpSenderReport.BYTES);
        report.writeByte('$').writeByte(rtcpChannel).writeShort(RtcpSenderReport.BYTES);
        RtcpSenderReport.write(report, ssrc, frame.receivedAtMicros(), timestamp, packets, octets);
        rawOut.write(report, rawOut.voidPromise());
      }
      rawOut.flush();
      last.addListener(this::written);
    } finally {
      if (rtp.buffer() != null) {
        rtp.buffer().release();
      }
    }
  }

  private ChannelFuture writePackets(RtpFrame rtp, int timestamp) {
    RtpJpegPayloads payloads = rtp.payloads();
    int count = payloads.count();
    int headerBytes = INTERLEAVED_HEADER + RTP_HEADER;
    ByteBuf headers = channel.alloc().directBuffer(headerBytes * count);
    ChannelFuture last = null;
    try {
      for (int i = 0; i < count; i++) {
        int length = payloads.length(i);
        headers.writeByte('$').writeByte(rtpChannel).writeShort(RTP_HEADER + length);
        headers.writeByte(0x80).writeByte(PAYLOAD_TYPE_JPEG | (i == count - 1 ? 0x80 : 0));
        headers.writeShort(sequence++).writeInt(timestamp).writeInt(ssrc);
        rawOut.write(headers.retainedSlice(headerBytes * i, headerBytes), rawOut.voidPromise());
        if (i < count - 1) {
          rawOut.write(rtp.retainedPayload(i), rawOut.voidPromise());
        } else {
          last = rawOut.write(rtp.retainedPayload(i));
        }
        octets += length;
      }
    } finally {
      headers.release();
    }
    packets += count;
    return last;
  }

  private void written(io.netty.util.concurrent.Future<? super Void> future) {
    if (!future.isSuccess()) {
      channel.close(); // the peer went away mid-write
      return;
    }
    framesSent++;
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

  /** Detaches from the camera and drops the frame not yet written (PAUSE, TEARDOWN, connection closed). */
  public void stop() {
    OutputHandle h = handle;
    if (h != null) {
      h.close();
    }
    unwritten = null;
  }

  public long framesSent() {
    return framesSent;
  }

  public String cameraId() {
    return cameraId;
  }
}
