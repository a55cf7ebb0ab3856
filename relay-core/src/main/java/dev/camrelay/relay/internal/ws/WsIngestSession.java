package dev.camrelay.relay.internal.ws;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.internal.LogLimiter;
import dev.camrelay.relay.internal.hub.Camera;
import dev.camrelay.relay.internal.hub.CameraSession;
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
 */
final class WsIngestSession implements CameraSession, WsEndpoint {
  private static final Logger log = LoggerFactory.getLogger(WsIngestSession.class);

  private final WebSocketImpl conn;
  private final String remote;
  private final Camera camera;
  private final boolean onDemand;
  private final LogLimiter logLimiter;

  WsIngestSession(WebSocketImpl conn, String remote, Camera camera, boolean onDemand, LogLimiter logLimiter) {
    this.conn = conn;
    this.remote = remote;
    this.camera = camera;
    this.onDemand = onDemand;
    this.logLimiter = logLimiter;
  }

  void start() {
    boolean stream = camera.connect(this);
    if (onDemand) {
      JsonObject cmd = new JsonObject();
      cmd.addProperty("id", 0);
      cmd.addProperty("cmd", "stream");
      cmd.addProperty("on", stream);
      sendText(cmd.toString());
    }
  }

  @Override
  public String ingest() {
    return "websocket";
  }

  @Override
  public String remote() {
    return remote;
  }

  @Override
  public boolean controlSupported() {
    return true;
  }

  @Override
  public boolean onDemand() {
    return onDemand;
  }

  @Override
  public void sendControl(long requestId, String json) {
    JsonObject command = JsonParser.parseString(json).getAsJsonObject();
    JsonObject out = new JsonObject();
    out.addProperty("id", requestId);
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
  public void close(int code, String reason) {
    conn.close(4000 + code, reason);
  }

  @Override
  public void onBinary(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    try {
      camera.publish(this, JpegFrame.parse(bytes));
    } catch (JpegFormatException e) {
      camera.frameDropped();
      logLimiter.warn("ws-bad-frame:" + camera.id(),
          "camera '" + camera.id() + "' (websocket from " + remote + "): dropped invalid frame: " + e.getMessage());
    }
  }

  @Override
  public void onText(String text) {
    try {
      JsonObject reply = JsonParser.parseString(text).getAsJsonObject();
      JsonElement id = reply.remove("id");
      if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
        log.debug("camera '{}': ignoring text without a numeric id", camera.id());
        return;
      }
      camera.controlReply(this, id.getAsLong(), reply.toString());
    } catch (JsonSyntaxException | IllegalStateException | NumberFormatException e) {
      logLimiter.warn("ws-bad-text:" + camera.id(),
          "camera '" + camera.id() + "' (websocket from " + remote + "): ignoring text that is not a JSON object");
    }
  }

  @Override
  public void onClosed(int code, String reason) {
    String why = code == 1000 || code == 1001 ? "connection closed"
        : "connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")";
    camera.disconnect(this, why);
  }

  @Override
  public String toString() {
    return "websocket camera " + remote;
  }
}
