package dev.camrelay.relay.internal.port.websocket;

import java.nio.ByteBuffer;

/** What an open WebSocket connection is: a viewer or a camera. */
public interface WsEndpoint {
  void onText(String text);

  void onBinary(ByteBuffer data);

  void onClosed(int code, String reason);
}
