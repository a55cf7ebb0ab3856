package dev.camrelay.relay.internal.past;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import dev.camrelay.relay.internal.port.http.HttpExchange;
import dev.camrelay.relay.internal.port.http.Responses;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a response body that is read from disk (recordings, clips, exports), on the past's own threads so that no
 * file read ever runs on an event loop, with backpressure and optional pacing: a chunk is written only while the
 * connection is writable (Netty's water marks), so at most about one send buffer of a slow client's body is in
 * memory; a chunk with a due time waits for it on the scheduler, not in a sleeping thread. The connection is closed
 * once the last chunk is out, when the source fails, when the client goes, or when it has taken nothing for 30 s;
 * the source is closed then, once.
 *
 * <p>It is the connection's channel handler from the moment the request is taken ({@link #answer}): inbound bytes
 * are dropped, the writability and close events drive it. At most one thread runs a sender's steps at a time.
 */
final class BodySender extends ChannelInboundHandlerAdapter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(BodySender.class);
  private static final LogLimiter failures = new LogLimiter(log, 10_000);
  /** Chunks sent per step before giving the thread to other streams. */
  private static final int CHUNKS_PER_STEP = 16;
  /** A client that takes no bytes this long is closed (its file stays open meanwhile). */
  static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Where the chunks come from; its methods run on the past's threads only, and may block on disk. */
  interface Source extends AutoCloseable {
    /** The next chunk, or null at the end of the body. */
    Chunk next() throws IOException;

    @Override
    void close();
  }

  /** What a request is answered with: a complete response, or a head and the source of its body. */
  record Reply(HttpResponse head, Source body) {
    static Reply full(FullHttpResponse response) {
      return new Reply(response, null);
    }
  }

  /** Finds the answer to a request, on the past's threads (it may block on disk). */
  @FunctionalInterface
  interface Work {
    Reply run() throws IOException;
  }

  /** An answer other than 200 found while working (404 for a time with no recording), with a message to send. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final HttpResponseStatus status;

    Refusal(HttpResponseStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * One piece of the body.
   *
   * @param bytes the bytes, released by the sender
   * @param dueNanos {@link System#nanoTime()} at or after which to send it; 0 for at once
   */
  record Chunk(ByteBuf bytes, long dueNanos) {}

  private final Channel channel;
  private final ScheduledExecutorService threads;
  private final String what;
  private final boolean headOnly;
  private final AtomicBoolean queued = new AtomicBoolean();

  // Guarded by this.
  private Work work;
  private Source source;
  private Chunk pending;
  private boolean finished;
  private long blockedSinceNanos;
  private long chunksSent;

  private BodySender(Channel channel, ScheduledExecutorService threads, String what, boolean headOnly, Work work) {
    this.channel = channel;
    this.threads = threads;
    this.what = what;
    this.headOnly = headOnly;
    this.work = work;
  }

  /**
   * Answers {@code exchange} with what {@code work} finds: the connection is handed to a sender at once (so no
   * further request on it is read, and answers cannot overtake each other), the work runs on {@code threads}, and
   * its reply is sent (the head only for HEAD) with {@code Connection: close}. A {@link Refusal} becomes its status
   * with its message as text; any other failure 500. {@code what} names the body in debug lines. Event loop only.
   */
  static void answer(HttpExchange exchange, ScheduledExecutorService threads, String what, Work work) {
    String loggable = what.replaceAll("[^\\x20-\\x7e]", "?");
    loggable = loggable.length() > 120 ? loggable.substring(0, 120) + "..." : loggable;
    BodySender sender = new BodySender(exchange.channel(), threads, loggable, exchange.isHead(), work);
    exchange.handOver("past", sender);
    sender.wake();
  }

  private void wake() {
    if (queued.compareAndSet(false, true)) {
      try {
        threads.execute(this);
      } catch (RejectedExecutionException e) {
        channel.close(); // the relay is stopping
      }
    }
  }

  @Override
  public void run() {
    queued.set(false);
    synchronized (this) {
      if (finished) {
        return;
      }
      try {
        if (work != null) {
          begin();
        } else {
          step();
        }
      } catch (IOException | RuntimeException e) {
        log.debug("{} to {} failed: {}", what, channel.remoteAddress(), e.toString());
        finish(true);
      }
    }
  }

  // Under this: runs the work and sends the head, or the whole answer.
  private void begin() throws IOException {
    Work w = work;
    work = null;
    Reply reply;
    try {
      reply = w.run();
    } catch (Refusal r) {
      reply = Reply.full(Responses.text(r.status, r.getMessage()));
    } catch (IOException | RuntimeException e) {
      failures.warn("past", what + " for " + channel.remoteAddress() + " failed: " + e); // one line per 10 s
      reply = Reply.full(Responses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "reading the recordings failed: " + e));
    }
    HttpUtil.setKeepAlive(reply.head().headers(), HttpVersion.HTTP_1_1, false);
    source = reply.body();
    HttpResponse head = reply.head();
    if (headOnly && head instanceof FullHttpResponse full) {
      head = full.replace(Unpooled.EMPTY_BUFFER);
      full.release();
    }
    channel.write(head);
    if (source == null || headOnly) {
      finish(false);
      return;
    }
    step();
  }

  // Under this.
  private void step() throws IOException {
    for (int sent = 0; sent < CHUNKS_PER_STEP; sent++) {
      if (!channel.isActive()) {
        finish(true);
        return;
      }
      if (!channel.isWritable()) {
        stalled(); // channelWritabilityChanged wakes us
        return;
      }
      blockedSinceNanos = 0;
      if (pending == null) {
        pending = source.next();
        if (pending == null) {
          log.debug("{} to {} complete: {} chunks", what, channel.remoteAddress(), chunksSent);
          finish(false);
          return;
        }
      }
      long wait = pending.dueNanos() == 0 ? 0 : pending.dueNanos() - System.nanoTime();
      if (wait > 0) {
        try {
          threads.schedule(this::wake, wait, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          finish(true);
        }
        return;
      }
      ByteBuf bytes = pending.bytes();
      pending = null;
      chunksSent++;
      channel.writeAndFlush(bytes);
    }
    wake(); // more to send: let other streams have the thread first
  }

  // Under this: the client takes nothing; one that takes nothing for STALL_NANOS is closed.
  private void stalled() {
    if (blockedSinceNanos == 0) {
      blockedSinceNanos = System.nanoTime();
      try {
        threads.schedule(this::closeIfStalled, STALL_NANOS, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        channel.close();
      }
    }
  }

  private synchronized void closeIfStalled() {
    if (!finished && blockedSinceNanos != 0 && System.nanoTime() - blockedSinceNanos >= STALL_NANOS) {
      log.debug("{} to {} stalled: closed", what, channel.remoteAddress());
      finish(true);
    } else if (!finished && blockedSinceNanos != 0) {
      threads.schedule(this::closeIfStalled, STALL_NANOS - (System.nanoTime() - blockedSinceNanos),
          TimeUnit.NANOSECONDS);
    }
  }

  // Under this.
  private void finish(boolean abort) {
    if (finished) {
      return;
    }
    finished = true;
    if (pending != null) {
      ReferenceCountUtil.release(pending.bytes());
      pending = null;
    }
    if (source != null) {
      source.close();
    }
    if (abort) {
      channel.close();
    } else {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      wake();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    wake(); // the step sees the closed channel and closes the source on the past's thread
    super.channelInactive(ctx);
  }
}
