package dev.camrelay.relay.internal.port.websocket;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;

/**
 * The WebSocket clients of the Node relay camrelay's users come from (the "seed" relay), with
 * {@link dev.camrelay.relay.CameraRelay.Builder#seedCompatibility} on. They connect to {@code /} and say who they are
 * with one subprotocol, which the relay must select in its answer (the Node {@code ws} client and browsers fail the
 * handshake otherwise):
 *
 * <pre>
 * ipcam_&lt;token&gt;   a camera: publishes as the default camera; binary messages are JPEGs; it receives the
 *                 monitors' text messages exactly as they sent them
 * mon_&lt;token&gt;     a monitor: watches the default camera (binary JPEGs); its text messages are commands for the camera
 * </pre>
 *
 * <p>The suffix is the token (empty: none). Commands travel the relay's own control path (control token, rate limit,
 * timeout), which carries JSON objects: a monitor's text that is a JSON object goes as it is, any other text as
 * {@code {"cmd":"text","text":<the text>}}, which a seed camera gets back as the bare text. So a
 * {@code camrelay.v1} viewer can send a seed camera any text the same way.
 */
public final class SeedClients {
  static final String CAMERA_PREFIX = "ipcam_";
  static final String MONITOR_PREFIX = "mon_";
  private static final String TEXT_CMD = "text";

  /** What a seed client offered: a camera or a monitor, and its token (null when the suffix is empty). */
  record Offer(boolean camera, String subprotocol, String token) {
    @Override
    public String toString() {
      return camera ? CAMERA_PREFIX + "<token>" : MONITOR_PREFIX + "<token>"; // never the token
    }
  }

  private SeedClients() {}

  /** The first {@code ipcam_…} or {@code mon_…} offer in a Sec-WebSocket-Protocol header, or null. */
  static Offer offer(String header) {
    if (header == null) {
      return null;
    }
    for (String p : header.split(",")) {
      String t = p.trim();
      boolean camera = t.startsWith(CAMERA_PREFIX);
      if (camera || t.startsWith(MONITOR_PREFIX)) {
        String token = t.substring(camera ? CAMERA_PREFIX.length() : MONITOR_PREFIX.length());
        return new Offer(camera, t, token.isEmpty() ? null : token);
      }
    }
    return null;
  }

  /** Whether a handshake at {@code path} offering {@code subprotocols} is a seed camera. */
  static boolean isCamera(String path, String subprotocols) {
    Offer o = offer(subprotocols);
    return o != null && o.camera() && isRoot(path);
  }

  /** Whether {@code target} (a request target, query allowed) is the root, where seed clients connect. */
  static boolean isRoot(String target) {
    if (target == null) {
      return false;
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    return path.isEmpty() || path.equals("/");
  }

  /** The control command (a JSON object) for a monitor's text message. */
  public static String commandOf(String monitorText) {
    if (isJsonObject(monitorText) && textOf(monitorText) == null) {
      return monitorText; // already a command: passes byte for byte
    }
    JsonObject wrapped = new JsonObject();
    wrapped.addProperty("cmd", TEXT_CMD);
    wrapped.addProperty("text", monitorText);
    return wrapped.toString();
  }

  /** The text a seed camera gets for a control command: the bare text of a {@code "text"} command, else the JSON. */
  public static String cameraTextOf(String commandJson) {
    String text = textOf(commandJson);
    return text != null ? text : commandJson;
  }

  /** The text of exactly {@code {"cmd":"text","text":"…"}}, or null. */
  private static String textOf(String json) {
    try {
      JsonElement e = JsonParser.parseString(json);
      if (!e.isJsonObject() || e.getAsJsonObject().size() != 2) {
        return null;
      }
      JsonObject o = e.getAsJsonObject();
      JsonElement cmd = o.get("cmd");
      JsonElement text = o.get("text");
      if (cmd == null || text == null || !cmd.isJsonPrimitive() || !text.isJsonPrimitive()
          || !text.getAsJsonPrimitive().isString() || !TEXT_CMD.equals(cmd.getAsString())) {
        return null;
      }
      return text.getAsString();
    } catch (JsonParseException | IllegalStateException e) {
      return null;
    }
  }

  private static boolean isJsonObject(String text) {
    try {
      return JsonParser.parseString(text).isJsonObject();
    } catch (JsonParseException e) {
      return false;
    }
  }
}
