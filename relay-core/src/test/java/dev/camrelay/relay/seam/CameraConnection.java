package dev.camrelay.relay.seam;

import java.io.IOException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/**
 * A source that is a real camera connection: it knows whether the relay wanted frames at attach, and publishing is
 * only sending (whether the relay took the frame it cannot tell; once the relay closed the connection the frame
 * goes nowhere).
 */
abstract class CameraConnection implements SourceProbe {
  private final boolean streamWantedAtAttach;

  CameraConnection(boolean streamWantedAtAttach) {
    this.streamWantedAtAttach = streamWantedAtAttach;
  }

  /** Sends one JPEG in the transport's frame message. */
  abstract void send(byte[] jpeg) throws IOException;

  @Override
  public final boolean streamWantedAtAttach() {
    return streamWantedAtAttach;
  }

  @Override
  public final Boolean publish(byte[] jpeg) {
    try {
      send(jpeg);
    } catch (IOException | WebsocketNotConnectedException e) {
      // the relay closed the connection
    }
    return null;
  }
}
