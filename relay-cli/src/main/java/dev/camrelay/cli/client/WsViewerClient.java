package dev.camrelay.cli.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Many WebSocket viewers on a few Netty event-loop threads (a thread per connection does not scale to the thousand
 * viewers a load test opens). Each viewer gets every binary message as one reassembled {@link ByteBuf}, on its
 * event-loop thread, without copying. Limits: no extensions (no permessage-deflate, like the relay), messages above
 * {@code maxMessageBytes} close the connection.
 */
public final class WsViewerClient implements AutoCloseable {
  /** Receives a viewer's messages; called on the viewer's event-loop thread, so keep it short. */
  public interface Listener {
    /** One binary message; {@code data} is released after the call returns (copy what you keep). */
    void onBinary(ByteBuf data, long receivedNanos);

    /** One text message (only with a subprotocol that sends text, e.g. camrelay.v1). */
    default void onText(String text) {}

    /** The connection ended; {@code reason} says why. */
    default void onClosed(String reason) {}
  }

  /** What to connect to and how. */
  public record Options(URI uri, String subprotocol, String bearerToken, InetSocketAddress localAddress,
                        int maxMessageBytes, boolean insecureTls, long readBytesPerSecond) {
    /** Defaults: no subprotocol, no token, any local port, 16 MiB messages, verified TLS, unthrottled. */
    public static Options of(URI uri) {
      return new Options(uri, null, null, null, 16 * 1024 * 1024, false, 0);
    }

    public Options withSubprotocol(String s) {
      return new Options(uri, s, bearerToken, localAddress, maxMessageBytes, insecureTls, readBytesPerSecond);
    }

    public Options withBearerToken(String t) {
      return new Options(uri, subprotocol, t, localAddress, maxMessageBytes, insecureTls, readBytesPerSecond);
    }

    public Options withLocalAddress(InetSocketAddress a) {
      return new Options(uri, subprotocol, bearerToken, a, maxMessageBytes, insecureTls, readBytesPerSecond);
    }

    public Options withInsecureTls(boolean b) {
      return new Options(uri, subprotocol, bearerToken, localAddress, maxMessageBytes, b, readBytesPerSecond);
    }

    /** Read at most this many bytes per second (0 = as fast as they come). */
    public Options withReadLimit(long bytesPerSecond) {
      return new Options(uri, subprotocol, bearerToken, localAddress, maxMessageBytes, insecureTls, bytesPerSecond);
    }
  }

  /** An open viewer connection. */
  public static final class Viewer {
    private final Channel channel;

    Viewer(Channel channel) {
      this.channel = channel;
    }

    /** Stops reading: the relay's socket buffer fills and the relay sees a slow viewer. */
    public void stopReading() {
      channel.config().setAutoRead(false);
    }

    public boolean isOpen() {
      return channel.isActive();
    }

    /** Closes without the closing handshake. */
    public void close() {
      channel.close();
    }

    /** Sends a text message (e.g. a camrelay.v1 control request). */
    public void sendText(String text) {
      channel.writeAndFlush(new TextWebSocketFrame(text));
    }
  }

  private final EventLoopGroup group;

  /** A client with this many event-loop threads (1..N; 2-4 handle a thousand viewers). */
  public WsViewerClient(int threads) {
    this.group = new NioEventLoopGroup(threads, r -> {
      Thread t = new Thread(r, "camrelay-ws-viewers");
      t.setDaemon(true);
      return t;
    });
  }

  /** Connects one viewer; the future completes after the WebSocket handshake, or fails with a readable message. */
  public CompletableFuture<Viewer> connect(Options options, Listener listener) {
    CompletableFuture<Viewer> result = new CompletableFuture<>();
    URI uri = options.uri();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("wss");
    if (!tls && !scheme.equals("ws")) {
      result.completeExceptionally(new IOException("not a ws:// or wss:// URL: " + uri));
      return result;
    }
    String host = uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    SslContext ssl;
    try {
      ssl = tls ? (options.insecureTls()
          ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build()
          : SslContextBuilder.forClient().build()) : null;
    } catch (IOException e) {
      result.completeExceptionally(e);
      return result;
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    if (options.bearerToken() != null) {
      headers.set("Authorization", "Bearer " + options.bearerToken());
    }
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .version(WebSocketVersion.V13)
        .subprotocol(options.subprotocol())
        .customHeaders(headers)
        .allowExtensions(false)
        .maxFramePayloadLength(options.maxMessageBytes())
        .handshakeTimeoutMillis(10_000)
        .dropPongFrames(true)
        .build();
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            if (options.readBytesPerSecond() > 0) {
              p.addLast(new ReadThrottle(options.readBytesPerSecond()));
            }
            if (ssl != null) {
              p.addLast(ssl.newHandler(ch.alloc(), host, port));
            }
            p.addLast(new HttpClientCodec());
            p.addLast(new HttpObjectAggregator(64 * 1024));
            p.addLast(new WebSocketClientProtocolHandler(config));
            p.addLast(new WebSocketFrameAggregator(options.maxMessageBytes()));
            p.addLast(new MessageHandler(listener, result));
          }
        });
    ChannelFuture f = options.localAddress() == null
        ? b.connect(host, port)
        : b.connect(new InetSocketAddress(host, port), options.localAddress());
    f.addListener(done -> {
      if (!done.isSuccess()) {
        Throwable cause = done.cause();
        result.completeExceptionally(new IOException("cannot connect to " + host + ":" + port + ": "
            + (cause == null ? "failed" : cause.getMessage()), cause));
      }
    });
    return result;
  }

  /** Closes every viewer and stops the threads (waits up to 2 s). */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  private static final class MessageHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Listener listener;
    private final CompletableFuture<Viewer> handshake;
    private String closeReason;

    MessageHandler(Listener listener, CompletableFuture<Viewer> handshake) {
      this.listener = listener;
      this.handshake = handshake;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        handshake.complete(new Viewer(ctx.channel()));
      } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        handshake.completeExceptionally(new IOException("no WebSocket handshake answer within 10 s"));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof BinaryWebSocketFrame) {
        listener.onBinary(frame.content(), System.nanoTime());
      } else if (frame instanceof TextWebSocketFrame text) {
        listener.onText(text.text());
      } else if (frame instanceof CloseWebSocketFrame close) {
        closeReason = "closed by the relay (" + close.statusCode()
            + (close.reasonText().isEmpty() ? "" : " " + close.reasonText()) + ")";
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      IOException failure;
      if (cause instanceof WebSocketClientHandshakeException h && h.response() != null) {
        HttpResponse r = h.response();
        String body = r instanceof FullHttpResponse full
            ? full.content().toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip() : "";
        failure = new WsHandshakeException(r.status().code(), r.status().reasonPhrase(),
            body.length() > 200 ? body.substring(0, 200) : body);
      } else {
        failure = new IOException(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(),
            cause);
      }
      if (closeReason == null) {
        closeReason = failure.getMessage();
      }
      handshake.completeExceptionally(failure);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      handshake.completeExceptionally(closeReason != null ? new IOException(closeReason)
          : new WsHandshakeException(0, "", ""));
      listener.onClosed(closeReason != null ? closeReason : "connection closed");
      super.channelInactive(ctx);
    }
  }

  /** Reads at most N bytes per second by pausing auto-read until the byte budget catches up. */
  private static final class ReadThrottle extends ChannelDuplexHandler {
    private final double bytesPerNano;
    private long startNanos;
    private long bytes;

    ReadThrottle(long bytesPerSecond) {
      this.bytesPerNano = bytesPerSecond / 1e9;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      startNanos = System.nanoTime();
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof ByteBuf buf) {
        bytes += buf.readableBytes();
        long due = startNanos + (long) (bytes / bytesPerNano);
        long wait = due - System.nanoTime();
        if (wait > TimeUnit.MILLISECONDS.toNanos(1)) {
          ctx.channel().config().setAutoRead(false);
          ctx.executor().schedule(() -> {
            ctx.channel().config().setAutoRead(true);
          }, wait, TimeUnit.NANOSECONDS);
        }
      }
      super.channelRead(ctx, msg);
    }
  }
}
