package dev.camrelay.relay.internal.port.tcp;

import dev.camrelay.frame.sniff.StreamSniffer;
import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.relay.internal.runtime.ClientBytes;
import dev.camrelay.relay.internal.source.tcp.FramedSessionHandler;
import dev.camrelay.relay.internal.source.tcp.IngestContext;
import dev.camrelay.relay.internal.source.tcp.RawJpegHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at a connection's first bytes with {@link StreamSniffer} and replaces itself with the handler for what it
 * saw, handing it those bytes. Until the connection has identified itself (raw: first bytes; framed: HELLO
 * accepted) the handshake deadline applies, a TLS handshake in front of it included.
 *
 * <p>Behind an {@link SslHandler} it sees the decrypted stream and logs a failed TLS handshake (one line per kind
 * of failure per 10 s, no stack trace). On a plain connection while TLS is required, a framed camera gets ERROR 3
 * AUTH_FAILED saying so and a raw stream is closed.
 */
final class SniffHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SniffHandler.class);
  static final String NAME = "sniff";
  private static final int PEEK_BYTES = 64;

  private final IngestContext context;
  private final String remote;
  private ByteBuf first;
  private volatile boolean identified;
  private volatile FramedSessionHandler framed;

  SniffHandler(IngestContext context, String remote) {
    this.context = context;
    this.remote = remote;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (first == null) {
      first = in;
    } else {
      ByteBuf merged = ctx.alloc().buffer(first.readableBytes() + in.readableBytes());
      merged.writeBytes(first).writeBytes(in);
      first.release();
      in.release();
      first = merged;
    }
    byte[] peek = new byte[Math.min(first.readableBytes(), PEEK_BYTES)];
    first.getBytes(first.readerIndex(), peek);
    StreamSniffer.Result r = StreamSniffer.sniff(peek, 0, peek.length);
    switch (r.kind()) {
      case NEED_MORE -> {
        if (first.readableBytes() > PEEK_BYTES) {
          refuse(ctx, r);
        }
      }
      case RAW_JPEG -> startRaw(ctx);
      case FRAMED -> startFramed(ctx);
      case UNKNOWN -> refuse(ctx, r);
    }
  }

  private void startRaw(ChannelHandlerContext ctx) {
    String cameraId = context.config().defaultCameraId();
    if (plainRefused(ctx)) {
      context.logLimiter().warn("plain-refused:raw", "refused raw JPEG stream from " + remote
          + ": plain TCP, and this relay requires TLS on the camera port");
      releaseAndClose(ctx);
      return;
    }
    if (!context.config().allowRawIngest()) {
      context.logLimiter().warn("raw-disabled", "refused raw JPEG stream from " + remote
          + ": raw ingest is disabled; cameras must use the framed protocol");
      releaseAndClose(ctx);
      return;
    }
    if (context.auth().cameraAuthRequired(cameraId)) {
      context.logLimiter().warn("raw-auth", "refused raw JPEG stream from " + remote
          + ": camera tokens are configured and a raw stream cannot carry one; use the framed protocol");
      releaseAndClose(ctx);
      return;
    }
    identified = true;
    long idleMs = context.config().cameraIdleTimeout().toMillis();
    ctx.pipeline().addAfter(NAME, "idle", new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS));
    ctx.pipeline().addAfter("idle", "raw", new RawJpegHandler(context, cameraId, remote));
    handOver(ctx);
  }

  private void startFramed(ChannelHandlerContext ctx) {
    if (plainRefused(ctx)) {
      context.logLimiter().warn("plain-refused:framed", "refused framed camera connection from " + remote
          + ": plain TCP, and this relay requires TLS on the camera port");
      String reason = "this relay requires TLS on the camera port: connect with TLS to the same port";
      releaseAndClose(ctx, Unpooled.wrappedBuffer(MessageEncoder.encode(Message.error(ErrorCode.AUTH_FAILED,
          reason))));
      return;
    }
    FramedSessionHandler handler = new FramedSessionHandler(context, remote);
    framed = handler;
    ctx.pipeline().addAfter(NAME, "framed", handler);
    handOver(ctx);
  }

  /** True for a plain-TCP connection while the relay requires TLS from cameras. */
  private boolean plainRefused(ChannelHandlerContext ctx) {
    return context.config().requireCameraTls() && ctx.pipeline().get(SslHandler.class) == null;
  }

  private void handOver(ChannelHandlerContext ctx) {
    ByteBuf bytes = first;
    first = null;
    ctx.fireChannelRead(bytes);
    ctx.pipeline().remove(this);
  }

  private void refuse(ChannelHandlerContext ctx, StreamSniffer.Result r) {
    boolean http = ClientBytes.looksLikeHttp(r);
    String description = r.description();
    if (http) {
      // StreamSniffer shows the request target as sent, query (and so ?token=) included.
      byte[] head = new byte[Math.min(first.readableBytes(), ClientBytes.PEEK_BYTES)];
      first.getBytes(first.readerIndex(), head);
      description = ClientBytes.httpRequest(head, 0, head.length);
    }
    context.logLimiter().warn("garbage:" + (http ? "http" : description.split(" ")[0]),
        "closing TCP ingest connection from " + remote + ": not a camera stream (" + description + ")"
            + (description.startsWith("looks like TLS") ? "; this port speaks TLS only when the relay has a TLS key"
                : ""));
    if (first != null) {
      first.release();
      first = null;
    }
    identified = true;
    if (http) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(httpExplanation())).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private byte[] httpExplanation() {
    StringBuilder body = new StringBuilder("This is the camrelay camera ingest port: cameras send raw JPEGs or the"
        + " framed camrelay protocol here.\n");
    if (context.httpPort() > 0) {
      body.append("Watch in a browser on HTTP port ").append(context.httpPort()).append(".\n");
    }
    if (context.wsPort() > 0) {
      body.append("WebSocket viewers and cameras use port ").append(context.wsPort()).append(".\n");
    }
    byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
        + b.length + "\r\nConnection: close\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + b.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(b, 0, out, h.length, b.length);
    return out;
  }

  private void releaseAndClose(ChannelHandlerContext ctx) {
    releaseAndClose(ctx, null);
  }

  /** Closes after writing {@code lastWords} (when not null), so the peer reads why. */
  private void releaseAndClose(ChannelHandlerContext ctx, ByteBuf lastWords) {
    identified = true;
    if (first != null) {
      first.release();
      first = null;
    }
    if (lastWords != null) {
      ctx.writeAndFlush(lastWords).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  /** Runs on the channel's event loop when the handshake timeout has passed. */
  void handshakeDeadline(Channel ch) {
    if (!ch.isActive()) {
      return;
    }
    FramedSessionHandler f = framed;
    if (f != null) {
      f.handshakeDeadline();
    } else if (!identified) {
      long ms = context.config().handshakeTimeout().toMillis();
      SslHandler tls = ch.pipeline().get(SslHandler.class);
      if (tls != null && !tls.handshakeFuture().isDone()) {
        context.logLimiter().info("tls-stalled", "closing TLS camera connection from " + remote
            + ": TLS handshake not finished within " + ms + " ms");
      } else {
        context.logLimiter().info("tcp-silent", "closing TCP ingest connection from " + remote
            + ": nothing identifiable within " + ms + " ms");
      }
      ch.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      identified = true; // closed here; the deadline has nothing left to say
      if (TlsFailures.closedMidHandshake(done.cause())) {
        log.debug("TCP ingest connection {}: closed during the TLS handshake", remote);
      } else {
        context.logLimiter().info("tls-failed:" + TlsFailures.kind(done.cause()), "TLS handshake with camera"
            + " connection from " + remote + " failed: " + TlsFailures.describe(done.cause()));
      }
      ctx.close();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (first != null) {
      first.release();
      first = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("TCP ingest connection {}: {}", remote, cause.toString());
    ctx.close();
  }
}
