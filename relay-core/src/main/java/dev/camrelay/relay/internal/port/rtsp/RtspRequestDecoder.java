package dev.camrelay.relay.internal.port.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspVersions;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits what an RTSP client sends into requests ({@link FullHttpRequest} with version RTSP/1.0) and interleaved
 * binary packets ({@link InterleavedPacket}: {@code $}, channel, 16-bit length, data), which clients mix on one
 * connection once RTP goes over it — receiver reports, mostly. Netty's {@code RtspDecoder} cannot skip those, so this
 * one does both: a request is a head up to an empty line, then {@code Content-Length} bytes of body.
 *
 * <p>Limits: a head of at most {@value #MAX_HEAD_BYTES} bytes, a body of at most {@value #MAX_BODY_BYTES}; larger
 * ones, or a first line that is not {@code METHOD URI RTSP/1.0}, raise a {@link TooLongFrameException} or
 * {@link IllegalArgumentException} (the connection handler answers 400 and closes).
 */
final class RtspRequestDecoder extends ByteToMessageDecoder {
  static final int MAX_HEAD_BYTES = 8 * 1024;
  static final int MAX_BODY_BYTES = 4 * 1024;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int start = in.readerIndex();
      byte first = in.getByte(start);
      if (first == '\r' || first == '\n') {
        in.skipBytes(1); // stray line ends between messages
        continue;
      }
      if (first == '$') {
        if (in.readableBytes() < 4) {
          return;
        }
        int length = in.getUnsignedShort(start + 2);
        if (in.readableBytes() < 4 + length) {
          return;
        }
        out.add(new InterleavedPacket(in.getUnsignedByte(start + 1), length));
        in.skipBytes(4 + length);
        continue;
      }
      int headEnd = endOfHead(in);
      if (headEnd < 0) {
        if (in.readableBytes() > MAX_HEAD_BYTES) {
          throw new TooLongFrameException("request head longer than " + MAX_HEAD_BYTES + " bytes");
        }
        return;
      }
      String head = in.toString(start, headEnd - start, StandardCharsets.UTF_8);
      FullHttpRequest request = parseHead(head);
      int bodyLength = request.headers().getInt(RtspHeaderNames.CONTENT_LENGTH, 0);
      if (bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
        request.release();
        throw new TooLongFrameException("request body of " + bodyLength + " bytes (at most " + MAX_BODY_BYTES + ")");
      }
      int bodyStart = headEnd + 4;
      if (in.writerIndex() - bodyStart < bodyLength) {
        request.release();
        return;
      }
      request.content().writeBytes(in, bodyStart, bodyLength);
      in.readerIndex(bodyStart + bodyLength);
      out.add(request);
    }
  }

  /** Offset of the CR LF CR LF that ends the head, or -1. */
  private static int endOfHead(ByteBuf in) {
    int end = Math.min(in.writerIndex(), in.readerIndex() + MAX_HEAD_BYTES + 4);
    for (int i = in.readerIndex(); i + 3 < end; i++) {
      if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
          && in.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static FullHttpRequest parseHead(String head) {
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("RTSP/1.")) {
      throw new IllegalArgumentException("not an RTSP/1.0 request line");
    }
    FullHttpRequest request = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0,
        RtspMethods.valueOf(requestLine[0]), requestLine[1], Unpooled.buffer(0));
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        request.headers().add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    return request;
  }
}
