package dev.camrelay.relay.hardening;

import dev.camrelay.relay.testing.RawWs;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reading a {@link RawWs} the way a real client does for minutes on end: pings are answered with pongs (the relay
 * drops connections that stop answering its pings), text is skipped, a close frame ends the stream.
 */
final class WsReading {
  private WsReading() {}

  /** The next binary message; answers pings meanwhile. Only the reading thread may call this. */
  static byte[] nextBinary(RawWs ws) throws IOException {
    while (true) {
      RawWs.Frame f = ws.readFrame();
      switch (f.opcode()) {
        case 2 -> {
          return f.payload();
        }
        case 8 -> throw new EOFException("the relay closed the WebSocket");
        case 9 -> ws.sendFrame(10, f.payload());
        default -> {
          // text (status messages of camrelay.v1) and pongs: not what we wait for
        }
      }
    }
  }
}
