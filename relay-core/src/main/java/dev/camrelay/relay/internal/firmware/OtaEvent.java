package dev.camrelay.relay.internal.firmware;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Set;

/**
 * One progress report of a camera's update, read from its event {@code {"event":"ota","state":...}}
 * (frame-protocol/PROTOCOL.md, CONTROL): {@code downloading} with {@code received} and {@code size}, {@code failed}
 * with {@code error}, {@code rebooting}, {@code confirmed} and {@code rolled-back} with {@code version} (and
 * {@code error}). Text from the camera is kept printable and at most {@value #MAX_TEXT} characters.
 */
record OtaEvent(String state, long received, long size, String version, String error) {
  static final Set<String> STATES = Set.of("downloading", "failed", "rebooting", "confirmed", "rolled-back");
  static final int MAX_TEXT = 160;

  /** The event {@code json} holds; IllegalArgumentException naming what is wrong. */
  static OtaEvent of(JsonObject json) {
    String state = text(json, "state");
    if (state == null || !STATES.contains(state)) {
      throw new IllegalArgumentException("unknown ota state " + (state == null ? "(none)" : "'" + state + "'"));
    }
    return new OtaEvent(state, number(json, "received"), number(json, "size"), text(json, "version"),
        text(json, "error"));
  }

  private static String text(JsonObject json, String key) {
    JsonElement e = json.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      return null;
    }
    return printable(e.getAsString());
  }

  private static long number(JsonObject json, String key) {
    JsonElement e = json.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      return 0;
    }
    double d = e.getAsDouble();
    return d >= 0 && d < 1e15 ? (long) d : 0;
  }

  /** Printable ASCII only (a camera's text goes into log lines), cut to {@link #MAX_TEXT}. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT));
    for (int i = 0; i < s.length() && out.length() < MAX_TEXT; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
