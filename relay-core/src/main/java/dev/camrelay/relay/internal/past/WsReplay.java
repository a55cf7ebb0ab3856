package dev.camrelay.relay.internal.past;

import com.google.gson.JsonObject;
import dev.camrelay.relay.internal.port.websocket.WsEndpoint;
import dev.camrelay.relay.internal.record.FrameCursor;
import dev.camrelay.relay.internal.record.RecordedFrame;
import dev.camrelay.relay.internal.record.RecordingStore;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket viewer that watches the past: {@code ws://host:3009/cam/{id}?from=TIME[&to=TIME][&speed=N]} gets the
 * recorded frames from {@code from} as binary messages (one JPEG each, exactly like live frames, so the page's
 * renderer shows them unchanged), at their recorded pace or {@code speed} times faster, then the connection is
 * closed with 1000 "replay ended". A {@code camrelay.v1} viewer also gets text before the frames,
 * {@code {"type":"replay","from":ms,"to":ms|null,"speed":N}}, and before each frame
 * {@code {"type":"replay-frame","t":ms}} with the frame's wall-clock time. No recording in the range closes with
 * 4404 and the reason; a relay that does not record, 4404 too.
 *
 * <p>Frames are read and sent on the past's threads, never the WebSocket selector; a frame is sent only while the
 * connection's write queue holds at most one message, otherwise the replay waits (polling every 20 ms), so a slow
 * viewer slows its replay down instead of filling memory; one that takes nothing for 30 s is closed (1008). Not
 * counted as a viewer of the camera.
 */
final class WsReplay implements WsEndpoint, Runnable {
  private static final Logger log = LoggerFactory.getLogger(WsReplay.class);
  private static final long BACKPRESSURE_POLL_MS = 20;
  private static final int FRAMES_PER_STEP = 16;

  /** The endpoint of a connection that is closing already. */
  static final WsEndpoint NOTHING = new WsEndpoint() {
    @Override
    public void onText(String text) {}

    @Override
    public void onBinary(ByteBuffer data) {}

    @Override
    public void onClosed(int code, String reason) {}
  };

  private final WebSocketImpl conn;
  private final RecordingStore store;
  private final String cameraId;
  private final boolean v1;
  private final ReplayRequest request;
  private final ScheduledExecutorService threads;
  private final MjpegPartsSource.Pace pace;
  private volatile boolean closed;

  // Guarded by this.
  private FrameCursor cursor;
  private RecordedFrame pending;
  private long pendingDue;
  private int index;
  private boolean done;
  private long blockedSinceNanos;

  WsReplay(WebSocketImpl conn, RecordingStore store, String cameraId, boolean v1, ReplayRequest request,
      ScheduledExecutorService threads) {
    this.conn = conn;
    this.store = store;
    this.cameraId = cameraId;
    this.v1 = v1;
    this.request = request;
    this.threads = threads;
    this.pace = MjpegPartsSource.recorded(request.speed());
  }

  void start() {
    schedule(0);
  }

  private void schedule(long delayMs) {
    try {
      threads.schedule(this, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      conn.close(CloseFrame.GOING_AWAY, "relay shutting down");
    }
  }

  @Override
  public synchronized void run() {
    if (done) {
      return;
    }
    try {
      if (closed) {
        end();
        return;
      }
      if (cursor == null && !open()) {
        return;
      }
      for (int sent = 0; sent < FRAMES_PER_STEP; sent++) {
        if (conn.outQueue.size() > 1) {
          long now = System.nanoTime();
          if (blockedSinceNanos == 0) {
            blockedSinceNanos = now;
          } else if (now - blockedSinceNanos > BodySender.STALL_NANOS) {
            end();
            conn.close(CloseFrame.POLICY_VALIDATION, "replay viewer stalled");
            return;
          }
          schedule(BACKPRESSURE_POLL_MS);
          return;
        }
        blockedSinceNanos = 0;
        if (pending == null) {
          if (!cursor.hasNext()) {
            end();
            conn.close(CloseFrame.NORMAL, "replay ended");
            return;
          }
          pending = cursor.next();
          pendingDue = pace.dueNanos(index++, pending.epochMicros());
        }
        long wait = pendingDue - System.nanoTime();
        if (wait > 0) {
          schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
          return;
        }
        if (v1) {
          conn.send("{\"type\":\"replay-frame\",\"t\":" + pending.epochMicros() / 1000 + "}");
        }
        conn.send(ByteBuffer.wrap(pending.jpeg()));
        pending = null;
      }
      schedule(0);
    } catch (RuntimeException e) {
      // Reading the recordings failed, or the connection closed under us.
      log.debug("replay of camera '{}' to {} ended: {}", cameraId, conn.getRemoteSocketAddress(), e.toString());
      end();
      conn.close(CloseFrame.GOING_AWAY, "replay failed");
    }
  }

  // Under this: opens the cursor; false (and the connection closed) when nothing is recorded there.
  private boolean open() {
    FrameCursor c = store.frames(cameraId, request.fromMicros(), request.toMicros());
    if (!c.hasNext()) {
      c.close();
      done = true;
      conn.close(4404, "camera '" + cameraId + "' has no recording from " + PastRoutes.iso(request.fromMicros()));
      return false;
    }
    cursor = c;
    if (v1) {
      JsonObject hello = new JsonObject();
      hello.addProperty("type", "replay");
      hello.addProperty("from", request.fromMicros() / 1000);
      hello.addProperty("to", request.toMicros() == Long.MAX_VALUE ? null : request.toMicros() / 1000);
      hello.addProperty("speed", request.speed());
      conn.send(hello.toString());
    }
    return true;
  }

  // Under this.
  private void end() {
    done = true;
    pending = null;
    if (cursor != null) {
      cursor.close();
    }
  }

  @Override
  public void onText(String text) {
    // A replay takes no commands.
  }

  @Override
  public void onBinary(ByteBuffer data) {
    // Nor frames.
  }

  @Override
  public void onClosed(int code, String reason) {
    closed = true;
    schedule(0); // closes the cursor on the past's thread
  }
}
