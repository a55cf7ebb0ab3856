package dev.camrelay.relay.internal.output.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;

/**
 * Where one RTSP client's RTP and RTCP packets go: interleaved on its RTSP connection ({@link InterleavedSink}) or
 * as UDP datagrams to its ports ({@link UdpSink}). Each write takes ownership of the buffers passed.
 */
public interface RtpSink {
  /** Whether a frame may start now (the connection is not backed up); UDP sinks always say yes. */
  boolean writable();

  /** Queues one RTP packet: its 12-byte header and its payload; returns the write's future when asked for. */
  ChannelFuture writeRtp(ByteBuf header, ByteBuf payload, boolean wantFuture);

  /** Queues one RTCP compound packet. */
  void writeRtcp(ByteBuf packet);

  /** Sends what was queued. */
  void flush();

  /** A short label for logs, e.g. {@code RTP over RTSP/TCP}. */
  String describe();
}
