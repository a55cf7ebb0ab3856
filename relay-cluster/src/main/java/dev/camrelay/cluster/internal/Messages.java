package dev.camrelay.cluster.internal;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON bodies nodes exchange (presence, demand, control), read and written with Gson. */
final class Messages {
  private static final Gson GSON = new Gson();

  private Messages() {}

  /** A camera connected to a node: since when (microseconds since the epoch, that node's clock) and what it takes. */
  record Camera(String id, long since, boolean control, boolean onDemand) {}

  /**
   * A node's presence message. {@code type}: {@code hello} (just joined: answer with your full list; carries the
   * sender's full list), {@code full} (the heartbeat: every camera of the node), {@code attach}, {@code detach},
   * {@code bye} (leaving).
   */
  record Presence(String type, String node, String instance, List<Camera> cameras) {}

  /** Node {@code node} wants ({@code on}) or no longer wants camera {@code camera}'s frames. */
  record Demand(String camera, String node, boolean on) {}

  /** A control command for camera {@code camera}. */
  record Control(String camera, String json) {}

  /** The answer to a {@link Control}: the camera's reply, or why there is none. */
  record ControlAnswer(String reply, String error) {}

  static byte[] write(Object message) {
    return GSON.toJson(message).getBytes(StandardCharsets.UTF_8);
  }

  /** @throws JsonParseException if the body is not the expected JSON */
  static <T> T read(byte[] body, Class<T> type) {
    T value = GSON.fromJson(new String(body, StandardCharsets.UTF_8), type);
    if (value == null) {
      throw new JsonParseException("empty message");
    }
    return value;
  }
}
