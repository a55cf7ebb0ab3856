package dev.camrelay.relay.internal.port.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * First handler on the camera port when the relay has a TLS key: a connection that opens with a TLS handshake record
 * ({@code 16 03}, a ClientHello) gets an {@link SslHandler} in its place, so {@link SniffHandler} behind it sees the
 * decrypted stream; anything else goes on to {@link SniffHandler} as plain TCP. Neither a raw JPEG ({@code FF D8}),
 * the framed magic ({@code CRLY}) nor an HTTP method starts with {@code 0x16}, so one or two bytes decide.
 *
 * <p>The TLS handshake has no timer of its own: the connection's handshake deadline ({@link SniffHandler}) covers it
 * together with the framed HELLO.
 */
final class TlsOrPlain extends ByteToMessageDecoder {
  static final String NAME = "tls-or-plain";
  static final String TLS_NAME = "tls";
  private static final byte HANDSHAKE_RECORD = 0x16;
  private static final byte TLS_MAJOR_VERSION = 0x03;

  private final SSLContext sslContext;

  TlsOrPlain(SSLContext sslContext) {
    this.sslContext = sslContext;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    if (in.getByte(start) == HANDSHAKE_RECORD) {
      if (in.readableBytes() < 2) {
        return;
      }
      if (in.getByte(start + 1) == TLS_MAJOR_VERSION) {
        SSLEngine engine = sslContext.createSSLEngine();
        engine.setUseClientMode(false);
        SslHandler tls = new SslHandler(engine);
        tls.setHandshakeTimeoutMillis(0);
        // The buffered bytes go on to the SslHandler that takes this handler's place.
        ctx.pipeline().replace(this, TLS_NAME, tls);
        return;
      }
    }
    ctx.pipeline().remove(this);
  }
}
