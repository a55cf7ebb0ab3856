package dev.camrelay.relay.internal.output.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundInvoker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * RTP and RTCP interleaved on the client's RTSP connection (RFC 2326 10.12): each packet behind {@code $}, its
 * channel number and its 16-bit length. Packets are written in order on one TCP stream, so a frame's packets are
 * never dropped in the middle.
 *
 * <p>A one-packet frame (up to ~64 KB) is written straight to the socket with one gathering {@code write(2)} when
 * nothing of Netty's waits to go out (as the WebSocket path does), from whichever thread hands it over (the hub's
 * fan-out thread: no hop to the event loop), under the connection's {@link SocketWriteGuard}: no pipeline walk,
 * outbound-buffer entries, promise or NIO buffer objects per client (the thread's view of the frame,
 * {@link RtpFrame#payloadView}, and the header buffer's own NIO buffer are reused). Whatever the socket does not take
 * goes through Netty after it, in order. Not thread-safe: one viewer uses a sink, under its own lock.
 */
public final class InterleavedSink implements RtpSink {
  private static final int PREFIX = 4;
  private final Channel channel;
  private final ChannelOutboundInvoker rawOut;
  private final int rtpChannel;
  private final int rtcpChannel;
  private final SocketChannel socket; // null: always through Netty
  private final SocketWriteGuard guard; // null: always through Netty
  private final ByteBuffer[] gather = new ByteBuffer[2];
  private boolean queued; // something went to Netty since the last flush

  /**
   * @param rawOut where the bytes are written: the pipeline below the RTSP response encoder
   * @param guard the connection's guard of direct socket writes; null to write through Netty only
   * @param rtpChannel the interleaved channel for RTP; {@code rtcpChannel} the one for RTCP
   */
  public InterleavedSink(Channel channel, ChannelOutboundInvoker rawOut, SocketWriteGuard guard, int rtpChannel,
      int rtcpChannel) {
    this.channel = channel;
    this.rawOut = rawOut;
    this.rtpChannel = rtpChannel;
    this.rtcpChannel = rtcpChannel;
    this.guard = guard;
    this.socket = guard == null ? null : NioSockets.socketOf(channel);
  }

  @Override
  public boolean writable() {
    return channel.isWritable(); // false once closed (no outbound buffer); the viewer checks isActive first
  }

  @Override
  public int prefixBytes() {
    return PREFIX;
  }

  @Override
  public void setPrefix(ByteBuffer out, int index, int rtpPacketBytes) {
    out.putInt(index, prefix(rtpChannel, rtpPacketBytes));
  }

  /**
   * Per packet its prefix and RTP header from {@code headers}, then its payload from the camera's shared buffer:
   * nothing of the frame is copied per client. Frames are packetized for this transport with
   * {@link dev.camrelay.frame.rtp.RtpJpegPacketizer#MAX_PAYLOAD_BYTES}, so a frame up to ~64 KB is one packet, written
   * at once when Netty has nothing waiting ({@link #writeNow}); larger frames, or a frame behind bytes still waiting,
   * go through Netty as header slices and payload slices (one {@code writev} per flush).
   */
  @Override
  public ChannelFuture writeFrame(ByteBuf headers, RtpFrame frame) {
    int count = frame.payloads().count();
    int stride = PREFIX + RTP_HEADER;
    if (count == 1 && socket != null) {
      synchronized (guard) {
        if (nothingWaiting()) {
          return writeNow(headers, frame);
        }
      }
    }
    queued = true;
    try {
      for (int i = 0; i < count - 1; i++) {
        rawOut.write(headers.retainedSlice(stride * i, stride), rawOut.voidPromise());
        rawOut.write(frame.retainedPayload(i), rawOut.voidPromise());
      }
      rawOut.write(headers.readerIndex(stride * (count - 1)).retain(), rawOut.voidPromise()); // the last header
      return rawOut.write(frame.retainedPayload(count - 1));
    } finally {
      headers.release();
    }
  }

  /**
   * Whether Netty holds no bytes for this connection: none queued, none half written, no write handed to its event
   * loop from another thread (those count from the moment they are handed over). Under the guard.
   */
  private boolean nothingWaiting() {
    ChannelOutboundBuffer waiting = channel.unsafe().outboundBuffer();
    return waiting != null && waiting.totalPendingWriteBytes() == 0; // closed meanwhile: the write fails
  }

  /**
   * One packet: its prefix and header, then its payload, gathered in one socket write; the rest through Netty. Under
   * the guard.
   */
  private ChannelFuture writeNow(ByteBuf headers, RtpFrame frame) {
    int start = headers.readerIndex();
    ByteBuffer header = headers.internalNioBuffer(start, headers.readableBytes()); // the buffer's own: no copy
    int headerStart = header.position();
    ByteBuffer payload = frame.payloadView(0);
    if (!gatheringWrite(header, payload)) {
      headers.release();
      return channel.newFailedFuture(new ClosedChannelException());
    }
    if (!payload.hasRemaining()) {
      headers.release();
      return channel.newSucceededFuture();
    }
    queued = true; // the socket is full: the rest waits in Netty, which writes it in order as the socket drains
    int payloadDone = payload.position() - frame.payloads().offset(0);
    rawOut.write(headers.readerIndex(start + header.position() - headerStart), rawOut.voidPromise());
    return rawOut.write(frame.buffer().retainedSlice(payload.position(), frame.payloads().length(0) - payloadDone));
  }

  /** Writes {@code a} then {@code b} in one {@code write(2)}; false when the peer went away (the channel closes). */
  private boolean gatheringWrite(ByteBuffer a, ByteBuffer b) {
    gather[0] = a;
    gather[1] = b;
    try {
      socket.write(gather);
      return true;
    } catch (IOException e) {
      channel.close(); // no stack trace for that
      return false;
    } finally {
      gather[0] = gather[1] = null;
    }
  }

  @Override
  public void writeRtcp(ByteBuf packet) {
    ByteBuf prefix = channel.alloc().directBuffer(PREFIX).writeInt(prefix(rtcpChannel, packet.readableBytes()));
    if (socket != null) {
      synchronized (guard) {
        if (nothingWaiting() && writeNow(prefix, packet)) {
          return;
        }
      }
    }
    queued = true;
    rawOut.write(prefix, rawOut.voidPromise());
    rawOut.write(packet, rawOut.voidPromise());
  }

  /**
   * Writes {@code first} then {@code second} (small: an RTCP packet) in one socket write, releasing both, when the
   * socket takes all of them; otherwise leaves what is left in them for Netty and says false. Under the guard.
   */
  private boolean writeNow(ByteBuf first, ByteBuf second) {
    ByteBuffer a = first.internalNioBuffer(first.readerIndex(), first.readableBytes());
    ByteBuffer b = second.internalNioBuffer(second.readerIndex(), second.readableBytes());
    int aStart = a.position();
    int bStart = b.position();
    if (!gatheringWrite(a, b)) {
      first.release();
      second.release();
      return true;
    }
    if (!b.hasRemaining()) {
      first.release();
      second.release();
      return true;
    }
    first.skipBytes(a.position() - aStart);
    second.skipBytes(b.position() - bStart);
    return false;
  }

  /** {@code $}, the channel and the 16-bit length, as one big-endian int. */
  private static int prefix(int interleavedChannel, int length) {
    return '$' << 24 | (interleavedChannel & 0xFF) << 16 | (length & 0xFFFF);
  }

  @Override
  public void flush() {
    if (queued) {
      queued = false;
      rawOut.flush();
    }
  }

  @Override
  public String describe() {
    return "RTP over RTSP/TCP, channels " + rtpChannel + "-" + rtcpChannel;
  }
}
