package dev.camrelay.esp32;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A plain WebSocket viewer of {@code /cam/<id>}: every binary message is one JPEG, queued for the test. */
final class Viewer extends WebSocketClient {
  final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

  Viewer(URI uri) {
    super(uri);
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  @Override
  public void onMessage(String message) {}

  @Override
  public void onMessage(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    frames.add(copy);
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {}

  @Override
  public void onError(Exception ex) {}
}
