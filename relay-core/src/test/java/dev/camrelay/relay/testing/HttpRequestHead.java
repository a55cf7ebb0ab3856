package dev.camrelay.relay.testing;

import java.io.IOException;
import java.io.InputStream;

/** For fake HTTP servers in tests: reads past a request's head (up to the blank line), ignoring what it says. */
public final class HttpRequestHead {
  private HttpRequestHead() {}

  /** Reads through CR LF CR LF; returns false if the stream ended first. */
  public static boolean skip(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    return true;
  }
}
