package dev.camrelay.relay.internal.source.tcp;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.ProtocolException;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.frame.wire.Welcome;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.auth.AuthFailures;
import dev.camrelay.relay.internal.runtime.UntrustedJson;
import dev.camrelay.relay.internal.source.WireCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A framed protocol v1 session (frame-protocol/PROTOCOL.md), from the relay's side:
 *
 * <pre>
 * camera                                   relay
 *   HELLO (id, token, capabilities)  ──►     within the handshake timeout, else ERROR 5 TIMEOUT
 *                                    ◄──   WELCOME (STREAM unless on-demand and unwatched) | ERROR 3 AUTH_FAILED
 *                                          | ERROR 8 RATE_LIMITED (too many wrong tokens from this address lately)
 *   FRAME (one JPEG)                 ──►     valid: published; invalid JPEG: counted as dropped, session goes on
 *   CONTROL reply (flag 0x0001)      ──►     routed to whoever asked
 *   CONTROL id 0 {"event": ...}      ──►     an event, never answered: "ota" events go to FirmwareUpdates
 *                                    ◄──   CONTROL (relay-assigned request id, command JSON)
 *   PING                             ◄─►   PONG        (the relay pings every idle timeout / 3)
 *   BYE / ERROR                      ◄─►   close
 * </pre>
 *
 * <p>Protocol errors (bad magic, unknown version, oversized payload, messages out of order) are answered with ERROR
 * and the matching code, then the connection is closed. A camera that sends nothing (not even PONG) for the idle
 * timeout gets ERROR 5 TIMEOUT. Frames cut short by a disconnect are never published.
 */
public final class FramedSessionHandler extends ChannelInboundHandlerAdapter implements CameraSource {
  private static final Logger log = LoggerFactory.getLogger(FramedSessionHandler.class);

  private enum State { AWAIT_HELLO, ACTIVE, CLOSING }

  private final IngestContext context;
  private final String remote;
  private final MessageDecoder decoder;
  private ChannelHandlerContext ctx;
  private State state = State.AWAIT_HELLO;
  private Hello hello;
  private SourceHandle camera;
  private String closeReason;
  private ScheduledFuture<?> pinger;
  /** The relay's address on this connection: where the camera downloads updates from. */
  private InetSocketAddress relaySide;

  public FramedSessionHandler(IngestContext context, String remote) {
    this.context = context;
    this.remote = remote;
    this.decoder = new MessageDecoder(context.config().maxFrameBytes(), this::onMessage);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      if (state == State.CLOSING) {
        return;
      }
      for (ByteBuffer b : buf.nioBuffers()) {
        decoder.feed(b);
        if (state == State.CLOSING) {
          return;
        }
      }
    } catch (ProtocolException e) {
      fail(e.code(), e.getMessage());
    } finally {
      buf.release();
    }
  }

  private void onMessage(Message m) {
    if (state == State.CLOSING) {
      return;
    }
    try {
      if (state == State.AWAIT_HELLO) {
        if (m.type() != dev.camrelay.frame.wire.MessageType.HELLO) {
          fail(ErrorCode.PROTOCOL_ERROR, "expected HELLO first, got " + m.type());
          return;
        }
        onHello(Hello.decode(m));
        return;
      }
      switch (m.type()) {
        case FRAME -> onFrame(m);
        case CONTROL -> onControl(Control.decode(m));
        case PING -> replyIfWritable(Message.pongFor(m));
        case PONG -> { }
        case BYE -> {
          Reason r = Reason.decode(m);
          closeQuietly("camera said BYE " + r.codeName() + (r.reason().isEmpty() ? "" : ": " + r.reason()));
        }
        case ERROR -> {
          Reason r = Reason.decode(m);
          closeQuietly("camera reported ERROR " + r.codeName() + (r.reason().isEmpty() ? "" : ": " + r.reason()));
        }
        case HELLO -> fail(ErrorCode.PROTOCOL_ERROR, "HELLO sent twice");
        case WELCOME -> fail(ErrorCode.PROTOCOL_ERROR, "WELCOME goes from relay to camera, not back");
        default -> log.debug("camera '{}': ignoring {}", hello.cameraId(), m.type());
      }
    } catch (ProtocolException e) {
      fail(e.code(), e.getMessage());
    }
  }

  private void onHello(Hello h) {
    String id = h.cameraId();
    AuthFailures failures = context.auth().failures();
    long wait = context.auth().cameraAuthRequired(id) ? failures.refusedForSeconds(ctx.channel().remoteAddress()) : 0;
    if (wait > 0) {
      sendErrorAndClose(ErrorCode.RATE_LIMITED, AuthFailures.refusal(wait));
      return;
    }
    if (!context.auth().cameraAllowed(id, h.tokenOrNull())) {
      if (h.hasToken()) {
        failures.failed(ctx.channel().remoteAddress());
      }
      context.logLimiter().warn("framed-auth", "refused camera '" + id + "' from " + remote + ": "
          + (h.hasToken() ? "wrong token" : "no token"));
      sendErrorAndClose(ErrorCode.AUTH_FAILED, "authentication failed for camera '" + id + "'");
      return;
    }
    SourceInfo info = SourceInfo.of("framed", remote);
    info = h.acceptsControl() ? info.withControl() : info;
    info = h.onDemand() ? info.withOnDemand() : info;
    info = context.auth().cameraVerified(id, h.tokenOrNull()) ? info.withVerified() : info;
    hello = h;
    state = State.ACTIVE;
    // Attach and WELCOME in one event loop task: a stream command a viewer triggers meanwhile is queued on this
    // loop and so goes out after WELCOME.
    try {
      camera = context.hub().attachSource(id, info, this);
    } catch (IllegalStateException e) {
      hello = null;
      context.logLimiter().warn("framed-cameras", "refused camera '" + id + "' from " + remote + ": "
          + e.getMessage());
      sendErrorAndClose(ErrorCode.RATE_LIMITED, e.getMessage());
      return;
    }
    relaySide = (InetSocketAddress) ctx.channel().localAddress();
    context.firmware().connected(id, relaySide);
    long idleMs = context.config().cameraIdleTimeout().toMillis();
    ctx.pipeline().addBefore(ctx.name(), "idle", new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS));
    boolean stream = camera.streamWanted();
    int version = Math.min(Message.VERSION, h.maxVersion());
    write(Message.welcome(Welcome.of(version, stream, context.config().maxFrameBytes())));
    long pingMs = Math.max(100, idleMs / 3);
    pinger = ctx.channel().eventLoop().scheduleAtFixedRate(this::ping, pingMs, pingMs, TimeUnit.MILLISECONDS);
  }

  private void ping() {
    if (ctx.channel().isActive() && ctx.channel().isWritable()) {
      write(Message.ping(new byte[0]));
    }
  }

  private void onFrame(Message m) {
    try {
      // The decoder's own payload array becomes the frame: no second copy.
      camera.publish(m.payloadAsJpeg(), m.sequence(), m.timestampMicros());
    } catch (JpegFormatException e) {
      camera.frameDropped();
      context.logLimiter().warn("framed-bad-frame:" + camera.cameraId(), "camera '" + camera.cameraId()
          + "' (framed from "
          + remote + "): dropped FRAME #" + m.sequence() + ", not a valid JPEG: " + e.getMessage());
    }
  }

  private void onControl(Control c) {
    if (c.reply()) {
      camera.reply(c.requestId(), c.json());
    } else if (c.requestId() == 0 && c.json().contains("\"event\"")) {
      onEvent(c.json());
    } else {
      replyIfWritable(Message.control(c.requestId(), "{\"ok\":false,\"error\":\"the relay accepts no commands\"}",
          true));
    }
  }

  /** A CONTROL request with id 0 and an {@code event} key (PROTOCOL.md): news from the camera, never answered. */
  private void onEvent(String json) {
    JsonObject event;
    try {
      event = UntrustedJson.object(json);
    } catch (JsonParseException e) {
      context.logLimiter().warn("framed-bad-event:" + camera.cameraId(), "camera '" + camera.cameraId()
          + "': ignoring an event that is not a JSON object");
      return;
    }
    context.firmware().onEvent(camera.cameraId(), event);
  }

  /** Runs on the event loop when the handshake timeout has passed. */
  public void handshakeDeadline() {
    if (state == State.AWAIT_HELLO) {
      fail(ErrorCode.TIMEOUT, "no HELLO within " + context.config().handshakeTimeout().toMillis() + " ms");
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      fail(ErrorCode.TIMEOUT, "nothing received for " + context.config().cameraIdleTimeout().toMillis() + " ms");
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  private void fail(int code, String message) {
    if (state == State.CLOSING) {
      return;
    }
    String who = hello != null ? "camera '" + hello.cameraId() + "' (framed from " + remote + ")"
        : "framed connection from " + remote;
    if (hello != null) {
      // Connected cameras get a line of their own; the disconnect line carries the reason too.
      log.warn("{}: {} ({})", who, message, ErrorCode.name(code));
    } else {
      context.logLimiter().warn("framed-error:" + code, who + ": " + message + " (" + ErrorCode.name(code) + ")");
    }
    closeReason = ErrorCode.name(code) + ": " + message;
    sendErrorAndClose(code, message);
  }

  private void sendErrorAndClose(int code, String message) {
    state = State.CLOSING;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(MessageEncoder.encode(Message.error(code, message))))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void closeQuietly(String reason) {
    state = State.CLOSING;
    closeReason = reason;
    ctx.close();
  }

  private void write(Message m) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(MessageEncoder.encode(m)));
  }

  /**
   * Answers a camera's PING or command only while it reads what the relay sends: a peer that floods requests without
   * reading would otherwise make every answer wait in memory (about 200 bytes each, without bound).
   */
  private void replyIfWritable(Message m) {
    if (ctx.channel().isWritable()) {
      write(m);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSING;
    if (pinger != null) {
      pinger.cancel(false);
    }
    if (camera != null) {
      context.firmware().disconnected(camera.cameraId(), relaySide);
      camera.detach(closeReason != null ? closeReason
          : decoder.midMessage() ? "connection closed in the middle of a message" : "connection closed");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closeReason == null) {
      closeReason = "connection error: " + cause.getMessage();
    }
    log.debug("framed connection {}: {}", remote, cause.toString());
    ctx.close();
  }

  // CameraSource: called from any thread.

  @Override
  public void onControl(ControlRequest request) {
    if (!ctx.channel().isActive()) {
      throw new IllegalStateException("connection closed");
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(MessageEncoder.encode(Message.control(request.id(), request.json(),
        false))));
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    int code = WireCodes.of(reason);
    ctx.channel().eventLoop().execute(() -> {
      if (state == State.CLOSING) {
        return;
      }
      state = State.CLOSING;
      closeReason = message;
      ctx.writeAndFlush(Unpooled.wrappedBuffer(MessageEncoder.encode(Message.bye(code, message))))
          .addListener(ChannelFutureListener.CLOSE);
    });
  }

  @Override
  public String toString() {
    return "framed " + remote;
  }
}
