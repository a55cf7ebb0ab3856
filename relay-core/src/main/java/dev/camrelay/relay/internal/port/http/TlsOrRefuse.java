package dev.camrelay.relay.internal.port.http;

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
 * closes.
 */
final class TlsOrRefuse extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(TlsOrRefuse.class);
  /** Bytes {@link SslHandler#isEncrypted(ByteBuf)} needs to decide. */
  private static final int RECORD_HEADER_BYTES = 5;

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
    log.info("refused plain HTTP from {} on the HTTPS port", ctx.channel().remoteAddress());
    in.skipBytes(in.readableBytes());
    String body = "This port speaks HTTPS only: use https:// in the URL.\n";
    String response = "HTTP/1.1 400 Bad Request\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length() + "\r\n"
        + "Connection: close\r\n\r\n" + body;
    ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII))
        .addListener(ChannelFutureListener.CLOSE);
    ctx.channel().config().setAutoRead(false);
  }
}
