package dev.camrelay.relay.internal.output.websocket;

import dev.camrelay.relay.internal.runtime.UntrustedJson;
import com.google.gson.JsonElement;
import dev.camrelay.relay.internal.output.SharedEncoding;
import com.google.gson.JsonObject;
import com.google.gson.JsonSyntaxException;
import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.CameraStats;
import dev.camrelay.relay.ControlException;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.OutputHandle;
import dev.camrelay.relay.internal.port.websocket.SeedClients;
import dev.camrelay.relay.internal.port.websocket.TrackedChannel;
import dev.camrelay.relay.internal.port.websocket.WsEndpoint;
import dev.camrelay.relay.internal.port.websocket.WsServer;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket viewer, an output on the hub's seam ({@link CameraOutput}): the hub hands it one frame at a time
 * (newest wins while one is in flight); it writes the frame and says {@link OutputHandle#ready()} when the frame has
 * been fully written ({@link TrackedChannel.WriteListener}, on the selector thread). So a slow viewer always gets
 * the newest frame next, costs at most two shared frame buffers, and never delays anyone else.
 *
 * <p>A viewer that keeps up is written to directly by the thread that publishes the frame (one non-blocking
 * {@code write(2)}, see {@link TrackedChannel#tryWriteNow}); only a frame the socket does not take at once, or one
 * that would overtake the library's own queued frames, goes through the library's selector thread. Bytes accepted by
 * the socket count as progress, so a large frame on a slow link is not mistaken for a stall.
 *
 * <p>Text (hello, status, control-reply) goes only to viewers that selected {@code camrelay.v1}. It is handed to the
 * library only while its write queue is short (fewer than 8 buffers); the rest waits here and goes out as the socket
 * drains (each written buffer lets the next text in). Nothing is dropped: every control message gets exactly one
 * reply. Status messages replace each other while they wait. A viewer that lets more than 1024 replies wait (it
 * sends commands but does not read) is closed with 1008, so a stuck viewer cannot make the relay hold text without
 * bound.
 *
 * <p>A seed monitor ({@link SeedClients}, {@code mon_…} at {@code /}) is a plain viewer whose text messages are
 * commands for the camera ({@link SeedClients#commandOf}), sent only with the control token and within the rate
 * limit; it has no way to get an answer, so refusals and failures are logged (rate-limited) instead. Its binary
 * messages are ignored.
 */
public final class WsViewer implements CameraOutput, TrackedChannel.WriteListener, WsEndpoint {
  private static final LogLimiter seedLog = new LogLimiter(LoggerFactory.getLogger(WsViewer.class), 10_000);
  private static final int MAX_QUEUED_BUFFERS = 8;
  /** Control replies (and the hello) that may wait for the socket; one more closes the viewer. */
  static final int MAX_UNSENT_REPLIES = 1024;

  private final WsServer server;
  private final WebSocketImpl conn;
  private final TrackedChannel channel;
  private final String cameraId;
  private final boolean v1;
  private final boolean controlAllowed;
  private final boolean seedMonitor;
  private final SharedEncoding frames;
  private final ControlRateLimiter rate;
  private volatile OutputHandle handle;

  // Guarded by this.
  private ByteBuffer inFlight;
  private SharedEncoding.Encoded inFlightFrame;
  private boolean closed;
  private long framesSent;

  private final Object textLock = new Object();
  // Guarded by textLock: text not yet handed to the library, oldest first; the latest status waits on its own.
  private final ArrayDeque<String> unsentReplies = new ArrayDeque<>();
  private String unsentStatus;
  private boolean textClosed;
  /** Whether text waits (a cheap look for every written buffer). */
  private volatile boolean textWaiting;

  public WsViewer(WsServer server, WebSocketImpl conn, TrackedChannel channel, String cameraId, boolean v1,
      boolean controlAllowed, boolean seedMonitor, SharedEncoding frames, int controlPerSecond) {
    this.server = server;
    this.conn = conn;
    this.channel = channel;
    this.cameraId = cameraId;
    this.v1 = v1;
    this.controlAllowed = controlAllowed;
    this.seedMonitor = seedMonitor;
    this.frames = frames;
    this.rate = new ControlRateLimiter(controlPerSecond);
  }

  /**
   * Greets a {@code camrelay.v1} viewer, attaches to the camera and asks for its latest frame at once — unless the
   * camera is offline (no source attached) and the viewer is a plain one: it cannot be told that the frame is old,
   * so it gets nothing until the camera is back. A {@code camrelay.v1} viewer gets the status first (connected
   * false, {@code lastFrameAgeMs}), then the last frame.
   *
   * @throws IllegalStateException when the relay has no room for another camera
   */
  public void start(CameraHub hub) {
    channel.setWriteListener(this);
    if (v1) {
      JsonObject hello = new JsonObject();
      hello.addProperty("type", "hello");
      hello.addProperty("camera", cameraId);
      hello.addProperty("control", controlAllowed);
      sendReply(hello.toString());
    }
    OutputHandle h = hub.attachOutput(cameraId, this);
    boolean closedMeanwhile;
    synchronized (this) {
      closedMeanwhile = closed;
    }
    if (closedMeanwhile) {
      // onClosed ran (selector thread) before the handle existed: detach here, or the camera keeps a dead viewer.
      h.close();
      return;
    }
    CameraStats camera = h.camera();
    sendStatus(camera);
    if (camera.connected() || v1) {
      // Frames published since the attach are offered anyway; this is for the one published before it.
      h.requestLatest();
    }
  }

  @Override
  public void onAttached(OutputHandle h) {
    handle = h;
  }

  /** The camera's shared encoding this viewer writes from. */
  SharedEncoding frames() {
    return frames;
  }

  public String cameraId() {
    return cameraId;
  }

  public String remote() {
    return channel.remote();
  }

  public boolean v1() {
    return v1;
  }

  @Override
  public String kind() {
    return "ws";
  }

  @Override
  public void onFrame(CameraFrame frame) {
    synchronized (this) {
      if (closed || !conn.isOpen()) {
        return;
      }
      send(frame);
    }
  }

  /** Selector thread: a buffer was fully written; if it was our frame, queue the waiting one (if any). */
  @Override
  public void written(ByteBuffer buffer) {
    flushText(); // the socket drains: let waiting text follow
    synchronized (this) {
      if (buffer != inFlight) {
        return;
      }
      finishInFlight();
      if (closed) {
        return;
      }
    }
    handle.ready();
  }

  @Override
  public void progressed() {
    OutputHandle h = handle;
    if (h != null) {
      h.progress();
    }
  }

  // Guarded by this. Starts writing frame; says ready at once when the socket took all of it.
  private void send(CameraFrame frame) {
    {
      SharedEncoding.Encoded encoded = frames.acquire(frame.jpeg());
      ByteBuffer buf = encoded.borrowView();
      inFlight = buf;
      inFlightFrame = encoded;
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
          inFlightFrame.giveBack(buf); // before finishInFlight lets go of the frame
          finishInFlight();
          handle.ready(); // the hub serves a waiting frame once onFrame returns, not recursively
          return;
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

  /** Frames held for this viewer: 0, 1 (in flight) or 2 (in flight + waiting). For tests and metrics. */
  public int pendingFrames() {
    OutputHandle h = handle;
    return h == null ? 0 : h.framesHeld();
  }

  public long skipped() {
    OutputHandle h = handle;
    return h == null ? 0 : h.framesSkipped();
  }

  public synchronized long framesSent() {
    return framesSent;
  }

  /**
   * Asks the selector again for OP_WRITE when bytes wait but it is not asked to write: the library can lose a write
   * request that races with the end of its own write pass (it clears OP_WRITE after its last look at the queue).
   */
  public void repairWriteDemand() {
    flushText();
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

  public int queuedBuffers() {
    return conn.outQueue.size();
  }

  public void sendStatus() {
    if (!v1) {
      return;
    }
    OutputHandle h = handle;
    if (h != null) {
      sendStatus(h.camera());
    }
  }

  private void sendStatus(CameraStats s) {
    if (!v1) {
      return;
    }
    JsonObject status = new JsonObject();
    status.addProperty("type", "status");
    status.addProperty("camera", s.id());
    status.addProperty("connected", s.connected());
    status.addProperty("width", s.width());
    status.addProperty("height", s.height());
    status.addProperty("fps", s.fps());
    if (s.lastFrameAgeMs() >= 0) {
      status.addProperty("lastFrameAgeMs", s.lastFrameAgeMs());
    }
    synchronized (textLock) {
      if (!textClosed) {
        unsentStatus = status.toString(); // an older one still waiting is out of date
        flushTextLocked();
      }
    }
  }

  /** Sends one message of the text protocol that must not be lost: a control-reply (or the hello). */
  private void sendReply(String text) {
    if (!v1) {
      return;
    }
    synchronized (textLock) {
      if (textClosed) {
        return;
      }
      if (unsentReplies.size() < MAX_UNSENT_REPLIES) {
        unsentReplies.add(text);
        flushTextLocked();
        return;
      }
      closeTextLocked();
    }
    // It sends commands and does not read the replies: close rather than hold them (no frames after the close).
    OutputHandle h = handle;
    if (h != null) {
      h.close();
    }
    conn.close(CloseFrame.POLICY_VALIDATION, "more than " + MAX_UNSENT_REPLIES + " control replies unread");
  }

  private void flushText() {
    if (textWaiting) {
      synchronized (textLock) {
        flushTextLocked();
      }
    }
  }

  // Guarded by textLock: hands waiting text to the library, oldest first, while its write queue is short.
  private void flushTextLocked() {
    while (!textClosed && conn.outQueue.size() < MAX_QUEUED_BUFFERS) {
      String next = unsentReplies.poll();
      if (next == null) {
        next = unsentStatus;
        unsentStatus = null;
        if (next == null) {
          break;
        }
      }
      try {
        conn.send(next);
      } catch (WebsocketNotConnectedException e) {
        closeTextLocked(); // closing: nobody reads it any more
      }
    }
    textWaiting = !unsentReplies.isEmpty() || unsentStatus != null;
  }

  // Guarded by textLock.
  private void closeTextLocked() {
    textClosed = true;
    unsentReplies.clear();
    unsentStatus = null;
    textWaiting = false;
  }

  @Override
  public void onText(String text) {
    if (seedMonitor) {
      seedCommand(text);
      return;
    }
    if (!v1) {
      return; // Plain viewers have no text protocol; ignore rather than punish.
    }
    JsonElement id = null;
    try {
      JsonObject msg = UntrustedJson.object(text);
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
      handle.control(command.toString()).whenComplete((reply, err) -> {
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

  private void seedCommand(String text) {
    String who = "seed monitor " + channel.remote() + " of camera '" + cameraId + "'";
    if (!controlAllowed) {
      seedLog.warn("seed-no-control:" + cameraId, who + ": command ignored: connect with the control token");
      return;
    }
    if (!rate.tryAcquire(System.nanoTime())) {
      seedLog.warn("seed-rate:" + cameraId, who + ": command ignored: more than " + rate.perSecond()
          + " control messages per second");
      return;
    }
    handle.control(SeedClients.commandOf(text)).whenComplete((reply, err) -> {
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        seedLog.info("seed-failed:" + cameraId, who + ": command failed: " + cause.getMessage());
      }
    });
  }

  private void replyOk(JsonElement id, String cameraReply) {
    JsonObject out = new JsonObject();
    out.addProperty("type", "control-reply");
    out.add("id", id);
    try {
      JsonObject reply = UntrustedJson.object(cameraReply);
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
      out.addProperty("error", "camera '" + cameraId + "' sent a reply that is not a JSON object");
    }
    sendReply(out.toString());
  }

  private void replyError(JsonElement id, String error) {
    JsonObject out = new JsonObject();
    out.addProperty("type", "control-reply");
    out.add("id", id);
    out.addProperty("ok", false);
    out.addProperty("error", error);
    sendReply(out.toString());
  }

  @Override
  public void onBinary(ByteBuffer data) {
    if (seedMonitor) {
      return; // the seed relay took anything from a monitor; there is nothing to do with binary here
    }
    conn.close(CloseFrame.REFUSE, "viewers send text control messages only");
  }

  @Override
  public void onClosed(int code, String reason) {
    SharedEncoding.Encoded abandoned;
    OutputHandle h;
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
    channel.setWriteListener(null);
    synchronized (textLock) {
      closeTextLocked();
    }
    // A closed connection never drains its queue; drop our references to frames right away.
    conn.outQueue.clear();
    if (h != null) {
      h.close();
    }
  }

  /**
   * The hub detached this viewer: a stalled one is dropped without a close handshake (it would never be read), at
   * shutdown it gets 1001.
   */
  @Override
  public void onDetached(DetachReason reason, String message) {
    if (reason == DetachReason.SHUTTING_DOWN) {
      conn.close(CloseFrame.GOING_AWAY, "relay shutting down");
    } else {
      conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "viewer " + (reason == DetachReason.STALLED ? "stalled" : "failed"));
      conn.outQueue.clear();
    }
  }

  @Override
  public String toString() {
    return "ws viewer " + channel.remote() + " of camera '" + cameraId + "'";
  }
}
