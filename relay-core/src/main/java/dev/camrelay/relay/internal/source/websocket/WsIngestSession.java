package dev.camrelay.relay.internal.source.websocket;

import dev.camrelay.relay.internal.runtime.UntrustedJson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonSyntaxException;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.wire.ErrorCode;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import dev.camrelay.relay.internal.port.websocket.SeedClients;
import dev.camrelay.relay.internal.port.websocket.WsEndpoint;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.source.WireCodes;
import java.nio.ByteBuffer;
import java.util.Map;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera publishing over WebSocket at {@code /ingest/{id}}.
 *
 * <pre>
 * camera → relay  binary: one complete JPEG per message (invalid ones are counted as dropped, not published)
 *                 text:   {"id":&lt;requestId&gt;,"ok":true,...}   reply to a command
 * relay → camera  text:   {"id":&lt;requestId&gt;,"cmd":...}        a command (the viewer's JSON plus the id)
 * </pre>
 *
 * <p>Such a camera is assumed to accept commands (a command it ignores times out). With {@code ?ondemand=1} it is
 * on-demand: right after the handshake it gets {@code {"id":0,"cmd":"stream","on":true|false}} and later stream
 * commands as viewers come and go. When replaced by another connection it is closed with code 4010.
 *
 * <p>A seed camera ({@link SeedClients}, {@code ipcam_…} at {@code /}) sends binary JPEGs the same way but knows no
 * request ids: it gets each command as bare text ({@link SeedClients#cameraTextOf}), the request is answered
 * {@code {"ok":true,"sent":true}} as soon as it is sent (the camera says nothing back), and its own text is ignored.
 */
public final class WsIngestSession implements CameraSource, WsEndpoint {
  private static final Logger log = LoggerFactory.getLogger(WsIngestSession.class);
  /** The answer to a command sent to a seed camera, which never replies. */
  private static final String SENT = "{\"ok\":true,\"sent\":true}";

  private final WebSocketImpl conn;
  private final String remote;
  private final String cameraId;
  private final boolean onDemand;
  private final boolean verified;
  private final boolean seed;
  private final LogLimiter logLimiter;
  private volatile SourceHandle camera;

  public WsIngestSession(WebSocketImpl conn, String remote, String cameraId, boolean onDemand, boolean verified,
      boolean seed, LogLimiter logLimiter) {
    this.conn = conn;
    this.remote = remote;
    this.cameraId = cameraId;
    this.onDemand = onDemand;
    this.verified = verified;
    this.seed = seed;
    this.logLimiter = logLimiter;
  }

  /**
   * Attaches to the hub; such a camera is assumed to take commands.
   *
   * @throws IllegalStateException when the relay has no room for another camera
   */
  public void start(CameraHub hub) {
    SourceInfo info = SourceInfo.of(seed ? "websocket-seed" : "websocket", remote).withControl();
    info = verified ? info.withVerified() : info;
    camera = hub.attachSource(cameraId, onDemand ? info.withOnDemand() : info, this);
    boolean stream = camera.streamWanted();
    if (onDemand) {
      JsonObject cmd = new JsonObject();
      cmd.addProperty("id", 0);
      cmd.addProperty("cmd", "stream");
      cmd.addProperty("on", stream);
      sendText(cmd.toString());
    }
  }

  @Override
  public void onControl(ControlRequest request) {
    if (seed) {
      if (!sendText(SeedClients.cameraTextOf(request.json()))) {
        throw new IllegalStateException("connection closed");
      }
      request.reply(SENT);
      return;
    }
    JsonObject command = UntrustedJson.object(request.json());
    JsonObject out = new JsonObject();
    out.addProperty("id", request.id());
    for (Map.Entry<String, JsonElement> e : command.entrySet()) {
      if (!e.getKey().equals("id")) {
        out.add(e.getKey(), e.getValue());
      }
    }
    if (!sendText(out.toString())) {
      throw new IllegalStateException("connection closed");
    }
  }

  private boolean sendText(String text) {
    try {
      conn.send(text);
      return true;
    } catch (WebsocketNotConnectedException e) {
      return false;
    }
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    int code = WireCodes.of(reason);
    conn.close(4000 + code, message);
  }

  @Override
  public void onBinary(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    try {
      camera.publish(JpegFrame.parse(bytes));
    } catch (JpegFormatException e) {
      camera.frameDropped();
      logLimiter.warn("ws-bad-frame:" + cameraId,
          "camera '" + cameraId + "' (websocket from " + remote + "): dropped invalid frame: " + e.getMessage());
    }
  }

  @Override
  public void onText(String text) {
    if (seed) {
      log.debug("camera '{}': ignoring text from a seed camera", cameraId);
      return;
    }
    try {
      JsonObject reply = UntrustedJson.object(text);
      JsonElement id = reply.remove("id");
      if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
        log.debug("camera '{}': ignoring text without a numeric id", cameraId);
        return;
      }
      camera.reply(id.getAsLong(), reply.toString());
    } catch (JsonSyntaxException | IllegalStateException | NumberFormatException e) {
      logLimiter.warn("ws-bad-text:" + cameraId,
          "camera '" + cameraId + "' (websocket from " + remote + "): ignoring text that is not a JSON object");
    }
  }

  @Override
  public void onClosed(int code, String reason) {
    String why = code == 1000 || code == 1001 ? "connection closed"
        : "connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")";
    SourceHandle h = camera;
    if (h != null) {
      h.detach(why);
    }
  }

  @Override
  public String toString() {
    return "websocket camera " + remote;
  }
}
