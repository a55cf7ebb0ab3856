package dev.camrelay.cli.simulate;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The simulated sensor's settings and the firmware's CONTROL command handling: takes the command JSON, applies it,
 * and returns the reply JSON ({@code {"ok":true,...}} or {@code {"ok":false,"error":"..."}}). Thread-safe.
 */
final class CameraSettings {
  /** An immutable copy of the settings used to render one frame. */
  record Snapshot(int width, int height, int quality, int brightness, int contrast, boolean vflip,
                  boolean hmirror, int led, boolean streaming) {}

  /** What the sending loop must do after a command besides replying. */
  enum Effect { NONE, RESTART }

  /** A reply and its side effect. */
  record Outcome(String replyJson, Effect effect) {}

  private final String firmware;
  private int width;
  private int height;
  private int quality;
  private int brightness;
  private int contrast;
  private boolean vflip;
  private boolean hmirror;
  private int led;
  private boolean streaming;
  private long framesSent;
  private final int fps;

  CameraSettings(int width, int height, int quality, boolean streaming, int fps, String firmware) {
    this.width = width;
    this.height = height;
    this.quality = quality;
    this.streaming = streaming;
    this.fps = fps;
    this.firmware = firmware;
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(width, height, quality, brightness, contrast, vflip, hmirror, led, streaming);
  }

  synchronized boolean streaming() {
    return streaming;
  }

  synchronized void streaming(boolean on) {
    streaming = on;
  }

  synchronized void frameSent() {
    framesSent++;
  }

  /** Applies one CONTROL command (the JSON the relay forwarded untouched) and returns the camera's reply. */
  Outcome apply(String json) {
    JsonObject cmd;
    try {
      JsonElement parsed = JsonParser.parseString(json);
      if (!parsed.isJsonObject()) {
        return error("command must be a JSON object");
      }
      cmd = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return error("command is not valid JSON");
    }
    if (!cmd.has("cmd") || !cmd.get("cmd").isJsonPrimitive()) {
      return error("missing 'cmd'");
    }
    String name = cmd.get("cmd").getAsString();
    try {
      synchronized (this) {
        return applyLocked(name, cmd);
      }
    } catch (BadValue e) {
      return error(e.getMessage());
    } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
      // Gson's getAsInt/getAsString throw these for a value of the wrong type.
      return error("bad value for '" + name + "'");
    }
  }

  private Outcome applyLocked(String name, JsonObject cmd) {
    JsonObject reply = new JsonObject();
    reply.addProperty("ok", true);
    switch (name) {
      case "framesize" -> {
        if (!cmd.has("value")) {
          return error("missing 'value'");
        }
        FrameSize size = FrameSize.parse(cmd.get("value").getAsString());
        if (size == null) {
          return error("unknown framesize '" + cmd.get("value").getAsString() + "'");
        }
        width = size.width;
        height = size.height;
        reply.addProperty("framesize", size.label);
        reply.addProperty("width", width);
        reply.addProperty("height", height);
      }
      case "quality" -> reply.addProperty("quality", quality = intValue(name, cmd, 0, 63));
      case "brightness" -> reply.addProperty("brightness", brightness = intValue(name, cmd, -2, 2));
      case "contrast" -> reply.addProperty("contrast", contrast = intValue(name, cmd, -2, 2));
      case "led" -> reply.addProperty("led", led = intValue(name, cmd, 0, 255));
      case "vflip" -> reply.addProperty("vflip", vflip = boolValue(name, cmd, "value"));
      case "hmirror" -> reply.addProperty("hmirror", hmirror = boolValue(name, cmd, "value"));
      case "stream" -> reply.addProperty("streaming", streaming = boolValue(name, cmd, "on"));
      case "status" -> status(reply);
      case "restart" -> {
        reply.addProperty("restarting", true);
        return new Outcome(reply.toString(), Effect.RESTART);
      }
      default -> {
        return error("unknown command '" + name + "'");
      }
    }
    return new Outcome(reply.toString(), Effect.NONE);
  }

  private void status(JsonObject reply) {
    reply.addProperty("firmware", firmware);
    reply.addProperty("framesize", FrameSize.labelOf(width, height));
    reply.addProperty("width", width);
    reply.addProperty("height", height);
    reply.addProperty("quality", quality);
    reply.addProperty("brightness", brightness);
    reply.addProperty("contrast", contrast);
    reply.addProperty("vflip", vflip);
    reply.addProperty("hmirror", hmirror);
    reply.addProperty("led", led);
    reply.addProperty("streaming", streaming);
    reply.addProperty("fps", fps);
    reply.addProperty("frames", framesSent);
  }

  private static int intValue(String name, JsonObject cmd, int min, int max) {
    JsonElement v = cmd.get("value");
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
      throw new BadValue("'" + name + "' needs a number 'value' (" + min + ".." + max + ")");
    }
    int i = v.getAsInt();
    if (i < min || i > max || i != v.getAsDouble()) {
      throw new BadValue("'" + name + "' value must be an integer " + min + ".." + max);
    }
    return i;
  }

  private static boolean boolValue(String name, JsonObject cmd, String key) {
    JsonElement v = cmd.get(key);
    if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
      return v.getAsInt() != 0; // the firmware accepts 0/1 as well as false/true
    }
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
      throw new BadValue("'" + name + "' needs a boolean '" + key + "'");
    }
    return v.getAsBoolean();
  }

  /** A command value the firmware would refuse; the message is the reply's error. */
  private static final class BadValue extends RuntimeException {
    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  private static Outcome error(String message) {
    JsonObject reply = new JsonObject();
    reply.addProperty("ok", false);
    reply.addProperty("error", message);
    return new Outcome(reply.toString(), Effect.NONE);
  }
}
