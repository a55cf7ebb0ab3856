package dev.camrelay.relay.internal.ws;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.ControlException;
import dev.camrelay.relay.internal.hub.Camera;
import dev.camrelay.relay.internal.hub.FrameMailbox;
import dev.camrelay.relay.internal.hub.FrameSink;
import dev.camrelay.relay.internal.hub.ViewerHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;

/**
 * One WebSocket viewer. Delivery keeps at most one frame "in flight" (being written) and at most one waiting in a
 * {@link FrameMailbox}; a newer frame replaces the waiting one. When the in-flight frame has been fully written
 * ({@link TrackedChannel.WriteListener}, on the selector thread), the waiting frame is sent. So a slow viewer always
 * gets the newest frame next, costs at most two shared frame buffers, and never delays anyone else.
 *
 * <p>A viewer that keeps up is written to directly by the thread that publishes the frame (one non-blocking
 * {@code write(2)}, see {@link TrackedChannel#tryWriteNow}); only a frame the socket does not take at once, or one
 * that would overtake the library's own queued frames, goes through the library's selector thread.
 *
 * <p>Text (hello, status, control-reply) goes only to viewers that selected {@code camrelay.v1}, and only while the
 * write queue is short, so a stuck viewer cannot accumulate text either.
 */
final class WsViewer implements FrameSink, TrackedChannel.WriteListener, WsEndpoint {
  private static final int MAX_QUEUED_BUFFERS = 8;

  private final WsServer server;
  private final WebSocketImpl conn;
  private final TrackedChannel channel;
  private final Camera camera;
  private final boolean v1;
  private final boolean controlAllowed;
  private final WsFrames.Cache cache;
  private final FrameMailbox mailbox = new FrameMailbox();
  private final ControlRateLimiter rate;
  private ViewerHandle handle;

  // Guarded by this.
  private ByteBuffer inFlight;
  private WsFrames.Encoded inFlightFrame;
  private long inFlightSinceNanos;
  private boolean closed;
  private long framesSent;

  WsViewer(WsServer server, WebSocketImpl conn, TrackedChannel channel, Camera camera, boolean v1,
      boolean controlAllowed, WsFrames.Cache cache, int controlPerSecond) {
    this.server = server;
    this.conn = conn;
    this.channel = channel;
    this.camera = camera;
    this.v1 = v1;
    this.controlAllowed = controlAllowed;
    this.cache = cache;
    this.rate = new ControlRateLimiter(controlPerSecond);
  }

  void start() {
    channel.setWriteListener(this);
    if (v1) {
      JsonObject hello = new JsonObject();
      hello.addProperty("type", "hello");
      hello.addProperty("camera", camera.id());
      hello.addProperty("control", controlAllowed);
      sendText(hello.toString());
      sendStatus();
    }
    ViewerHandle h = camera.addViewer(this, "ws");
    boolean closedMeanwhile;
    synchronized (this) {
      handle = h;
      closedMeanwhile = closed;
    }
    if (closedMeanwhile) {
      // onClosed ran (selector thread) before the handle existed: unregister here, or the camera keeps a dead viewer.
      h.close();
    }
  }

  Camera camera() {
    return camera;
  }

  String remote() {
    return channel.remote();
  }

  boolean v1() {
    return v1;
  }

  @Override
  public void offer(JpegFrame frame) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (inFlight == null) {
        send(frame);
      } else {
        mailbox.put(frame);
      }
    }
  }

  /** Selector thread: a buffer was fully written; if it was our frame, queue the waiting one (if any). */
  @Override
  public void written(ByteBuffer buffer) {
    synchronized (this) {
      if (buffer != inFlight) {
        return;
      }
      finishInFlight();
      if (closed) {
        return;
      }
      send(mailbox.take());
    }
  }

  // Guarded by this. Sends frame, then whatever the mailbox holds once a send completes at once.
  private void send(JpegFrame frame) {
    while (frame != null) {
      WsFrames.Encoded encoded = cache.acquire(frame);
      ByteBuffer buf = encoded.view();
      inFlight = buf;
      inFlightFrame = encoded;
      inFlightSinceNanos = System.nanoTime();
      TrackedChannel.Direct direct;
      try {
        direct = channel.tryWriteNow(buf);
      } catch (IOException e) {
        // Broken connection: keep the frame "in flight" so nothing more is sent; the library sees the reset or EOF
        // on its next read and closes the connection (or the stall sweep drops it).
        return;
      }
      switch (direct) {
        case WRITTEN -> {
          finishInFlight();
          frame = mailbox.take();
        }
        case PENDING -> {
          server.onWriteDemand(conn);
          return;
        }
        default -> {
          // Safe to bypass WebSocketImpl.send(): outQueue is a thread-safe queue the selector drains in order, a
          // complete frame is one buffer (so it cannot interleave with the library's own frames), and
          // onWriteDemand only sets OP_WRITE and wakes the selector (clearing the queue if the key is cancelled).
          conn.outQueue.add(buf);
          server.onWriteDemand(conn);
          return;
        }
      }
    }
  }

  // Guarded by this: the in-flight frame was completely written.
  private void finishInFlight() {
    inFlight = null;
    inFlightFrame.release();
    inFlightFrame = null;
    framesSent++;
  }

  /**
   * True if a frame has been waiting to be written for longer than {@code stallNanos} with no byte accepted by
   * the socket meanwhile.
   */
  boolean stalled(long nowNanos, long stallNanos) {
    synchronized (this) {
      if (inFlight == null || closed) {
        return false;
      }
      long lastProgress = Math.max(inFlightSinceNanos, channel.lastWriteProgressNanos());
      return nowNanos - lastProgress > stallNanos;
    }
  }

  /** Frames waiting for this viewer: 0, 1 (in flight) or 2 (in flight + waiting). For tests and metrics. */
  synchronized int pendingFrames() {
    return (inFlight != null ? 1 : 0) + (mailbox.isEmpty() ? 0 : 1);
  }

  long skipped() {
    return mailbox.skipped();
  }

  synchronized long framesSent() {
    return framesSent;
  }

  /**
   * Asks the selector again for OP_WRITE when bytes wait but it is not asked to write: the library can lose a write
   * request that races with the end of its own write pass (it clears OP_WRITE after its last look at the queue).
   */
  void repairWriteDemand() {
    if (!conn.outQueue.isEmpty() || channel.hasPending()) {
      try {
        if ((conn.getSelectionKey().interestOps() & java.nio.channels.SelectionKey.OP_WRITE) == 0) {
          server.onWriteDemand(conn);
        }
      } catch (java.nio.channels.CancelledKeyException e) {
        // Closing; nothing to write any more.
      }
    }
  }

  int queuedBuffers() {
    return conn.outQueue.size();
  }

  void sendStatus() {
    if (!v1) {
      return;
    }
    CameraStats s = camera.stats();
    JsonObject status = new JsonObject();
    status.addProperty("type", "status");
    status.addProperty("camera", s.id());
    status.addProperty("connected", s.connected());
    status.addProperty("width", s.width());
    status.addProperty("height", s.height());
    status.addProperty("fps", s.fps());
    sendText(status.toString());
  }

  private void sendText(String text) {
    if (!v1 || !conn.isOpen() || conn.outQueue.size() >= MAX_QUEUED_BUFFERS) {
      return;
    }
    try {
      conn.send(text);
    } catch (WebsocketNotConnectedException e) {
      // Closed meanwhile; nothing to tell.
    }
  }

  @Override
  public void onText(String text) {
    if (!v1) {
      return; // Plain viewers have no text protocol; ignore rather than punish.
    }
    JsonElement id = null;
    try {
      JsonObject msg = JsonParser.parseString(text).getAsJsonObject();
      id = msg.get("id");
      JsonElement type = msg.get("type");
      if (type == null || !type.isJsonPrimitive() || !"control".equals(type.getAsString())) {
        replyError(id, "unknown message type (expected \"control\")");
        return;
      }
      JsonElement command = msg.get("command");
      if (command == null || !command.isJsonObject()) {
        replyError(id, "\"command\" must be a JSON object");
        return;
      }
      if (!controlAllowed) {
        replyError(id, "control not permitted: connect with the control token");
        return;
      }
      if (!rate.tryAcquire(System.nanoTime())) {
        replyError(id, "rate limited: at most " + rate.perSecond() + " control messages per second");
        return;
      }
      JsonElement replyId = id;
      camera.control(command.toString()).whenComplete((reply, err) -> {
        if (err != null) {
          Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          replyError(replyId, cause instanceof ControlException ? cause.getMessage() : "control failed: " + cause);
        } else {
          replyOk(replyId, reply);
        }
      });
    } catch (JsonSyntaxException | IllegalStateException | UnsupportedOperationException e) {
      replyError(id, "not a JSON object");
    }
  }

  private void replyOk(JsonElement id, String cameraReply) {
    JsonObject out = new JsonObject();
    out.addProperty("type", "control-reply");
    out.add("id", id);
    try {
      JsonObject reply = JsonParser.parseString(cameraReply).getAsJsonObject();
      JsonElement ok = reply.get("ok");
      boolean success = ok == null || !ok.isJsonPrimitive() || !ok.getAsJsonPrimitive().isBoolean() || ok.getAsBoolean();
      out.addProperty("ok", success);
      if (!success) {
        JsonElement error = reply.get("error");
        out.addProperty("error", error != null && error.isJsonPrimitive() ? error.getAsString() : "camera refused");
      }
      out.add("reply", reply);
    } catch (JsonSyntaxException | IllegalStateException e) {
      out.addProperty("ok", false);
      out.addProperty("error", "camera '" + camera.id() + "' sent a reply that is not a JSON object");
    }
    sendText(out.toString());
  }

  private void replyError(JsonElement id, String error) {
    JsonObject out = new JsonObject();
    out.addProperty("type", "control-reply");
    out.add("id", id);
    out.addProperty("ok", false);
    out.addProperty("error", error);
    sendText(out.toString());
  }

  @Override
  public void onBinary(ByteBuffer data) {
    conn.close(CloseFrame.REFUSE, "viewers send text control messages only");
  }

  @Override
  public void onClosed(int code, String reason) {
    WsFrames.Encoded abandoned;
    ViewerHandle h;
    synchronized (this) {
      closed = true;
      inFlight = null;
      abandoned = inFlightFrame;
      inFlightFrame = null;
      h = handle;
    }
    // Once writes are closed no thread reads the frame buffer any more, so it may go back to the pool.
    channel.closeWrites();
    if (abandoned != null) {
      abandoned.release();
    }
    mailbox.clear();
    channel.setWriteListener(null);
    // A closed connection never drains its queue; drop our references to frames right away.
    conn.outQueue.clear();
    if (h != null) {
      h.close();
    }
  }

  /** Drops a viewer that stopped accepting bytes, without a close handshake (it would never be read). */
  void disconnectStalled() {
    conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "viewer stalled");
    conn.outQueue.clear();
  }

  @Override
  public String toString() {
    return "ws viewer " + channel.remote() + " of camera '" + camera.id() + "'";
  }
}
