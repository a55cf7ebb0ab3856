package dev.camrelay.relay.internal.output.websocket;

import dev.camrelay.relay.internal.output.SharedEncodings;
import dev.camrelay.relay.internal.port.websocket.TrackedChannel;
import io.netty.buffer.PooledByteBufAllocator;
import dev.camrelay.relay.internal.port.websocket.WsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocketImpl;

/**
 * The WebSocket viewers of one port: who is attached, one shared frame encoding per camera while it has viewers,
 * and the periodic chores (status messages, repairing lost write requests).
 */
public final class WsViewers {
  private final Set<WsViewer> viewers = ConcurrentHashMap.newKeySet();
  private final SharedEncodings encodings = new SharedEncodings(WsFrames.ENCODING, PooledByteBufAllocator.DEFAULT);
  private final int controlMessagesPerSecond;

  /**
   * One WebSocket viewer's delivery state.
   *
   * @param camera the camera it watches
   * @param remote its address
   * @param pendingFrames frames held for it: one being written plus at most one waiting
   * @param queuedBuffers buffers in the library's write queue (frames and small text/control frames)
   * @param framesSent frames completely written to its socket
   * @param framesSkipped frames replaced by newer ones before it was ready
   */
  public record ViewerState(String camera, String remote, int pendingFrames, int queuedBuffers, long framesSent,
      long framesSkipped) {}

  public WsViewers(int controlMessagesPerSecond) {
    this.controlMessagesPerSecond = controlMessagesPerSecond;
  }

  /** A new viewer of {@code cameraId}, registered here (start it with {@link WsViewer#start}). */
  public WsViewer add(WsServer server, WebSocketImpl conn, TrackedChannel channel, String cameraId, boolean v1,
      boolean controlAllowed, boolean seedMonitor) {
    WsViewer viewer = new WsViewer(server, conn, channel, cameraId, v1, controlAllowed, seedMonitor,
        encodings.acquire(cameraId), controlMessagesPerSecond);
    viewers.add(viewer);
    return viewer;
  }

  /** Forgets a viewer (idempotent); the camera's shared encoding goes with its last viewer. */
  public void remove(WsViewer viewer) {
    if (viewers.remove(viewer)) {
      encodings.release(viewer.cameraId(), viewer.frames());
    }
  }

  /** Asks the selector again for writes it may have lost (see {@link WsViewer#repairWriteDemand}). */
  public void repairWriteDemand() {
    for (WsViewer v : viewers) {
      v.repairWriteDemand();
    }
  }

  /** Sends each {@code camrelay.v1} viewer its camera's status. */
  public void sendStatuses() {
    for (WsViewer v : viewers) {
      if (v.v1()) {
        v.sendStatus();
      }
    }
  }

  /** The viewers attached right now (for tests and metrics). */
  public List<ViewerState> states() {
    List<ViewerState> out = new ArrayList<>();
    for (WsViewer v : viewers) {
      out.add(new ViewerState(v.cameraId(), v.remote(), v.pendingFrames(), v.queuedBuffers(), v.framesSent(),
          v.skipped()));
    }
    return out;
  }
}
