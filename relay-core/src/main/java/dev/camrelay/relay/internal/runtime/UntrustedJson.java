package dev.camrelay.relay.internal.runtime;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;

/**
 * The one way the relay reads JSON a client or camera sent. Refuses nesting deeper than {@value #MAX_DEPTH} before
 * parsing (Gson reads and prints nested values recursively: 4,000 brackets in an 8 KiB control message overflowed
 * the stack of Java-WebSocket's worker thread, which then shut the whole WebSocket port down), and never puts the
 * input into an exception message (Gson's {@code getAsJsonObject} does, printing it recursively).
 */
public final class UntrustedJson {
  public static final int MAX_DEPTH = 32;

  private UntrustedJson() {}

  /** The JSON object {@code text} holds. @throws JsonSyntaxException if it is not one, or is nested too deeply */
  public static JsonObject object(String text) {
    if (depth(text) > MAX_DEPTH) {
      throw new JsonSyntaxException("nested deeper than " + MAX_DEPTH + " levels");
    }
    JsonElement e = JsonParser.parseString(text);
    if (!e.isJsonObject()) {
      throw new JsonSyntaxException("not a JSON object");
    }
    return e.getAsJsonObject();
  }

  /** The deepest nesting of arrays and objects outside strings (an upper bound for malformed text). */
  static int depth(String text) {
    int depth = 0;
    int max = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        max = Math.max(max, ++depth);
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return max;
  }
}
