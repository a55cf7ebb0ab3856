package dev.camrelay.relay.internal.port.http;

import dev.camrelay.relay.internal.runtime.Addresses;
import dev.camrelay.relay.internal.runtime.ClientBytes;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler on a TLS port: a TLS client gets the {@link SslHandler} in its place; a client speaking plain HTTP
 * gets a readable {@code 400} saying to use https (instead of TLS alert bytes it cannot show), then the connection
 * closes; anything else is closed. Refusals are logged at most once per client address and kind (plain HTTP, not
 * TLS) per 10 s, labelled by what was seen: the request's method and path (never its query or headers) or the
 * first bytes in hex.
 */
final class TlsOrRefuse extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(TlsOrRefuse.class);
  /** Bytes {@link SslHandler#isEncrypted(ByteBuf)} needs to decide. */
  private static final int RECORD_HEADER_BYTES = 5;

  /** Only for a pipeline without a {@link ConnectionGate} (none in the relay). */
  private static final LogLimiter FALLBACK = new LogLimiter(log, ConnectionGate.REFUSAL_LOG_PERIOD_MS);

  private final SSLContext sslContext;

  TlsOrRefuse(SSLContext sslContext) {
    this.sslContext = sslContext;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER_BYTES) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      SSLEngine engine = sslContext.createSSLEngine();
      engine.setUseClientMode(false);
      ctx.pipeline().replace(this, "tls", new SslHandler(engine));
      return;
    }
    byte[] first = new byte[Math.min(in.readableBytes(), ClientBytes.PEEK_BYTES)];
    in.getBytes(in.readerIndex(), first);
    in.skipBytes(in.readableBytes());
    ctx.channel().config().setAutoRead(false);
    String request = ClientBytes.httpRequest(first, 0, first.length);
    String kind = request != null ? "plain-http" : "not-tls";
    String ip = Addresses.ipOf(ctx.channel().remoteAddress());
    refusals(ctx).info(kind + ":" + ip, "refused " + remote(ctx) + " on the HTTPS port: "
        + (request != null ? request : ClientBytes.notTls(first, 0, first.length)));
    if (request == null) {
      ctx.close(); // nothing a client that is not HTTP could show
      return;
    }
    String body = "This port speaks HTTPS only: use https:// in the URL.\n";
    String response = "HTTP/1.1 400 Bad Request\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length() + "\r\n"
        + "Connection: close\r\n\r\n" + body;
    ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The relay's limiter for these lines (one per HTTP port, on its connection gate). */
  private static LogLimiter refusals(ChannelHandlerContext ctx) {
    ConnectionGate gate = ctx.pipeline().get(ConnectionGate.class);
    return gate != null ? gate.tlsRefusals() : FALLBACK;
  }

  private static String remote(ChannelHandlerContext ctx) {
    return Addresses.of(ctx.channel().remoteAddress());
  }
}
