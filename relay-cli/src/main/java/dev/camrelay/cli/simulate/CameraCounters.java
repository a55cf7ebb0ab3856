package dev.camrelay.cli.simulate;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What a simulated camera has done so far: frames, bytes, connections, commands, the last problem. Thread-safe. */
final class CameraCounters {
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong framesSkipped = new AtomicLong();
  private final AtomicLong controlsReceived = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicReference<String> lastControl = new AtomicReference<>();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private volatile boolean connected;

  void frameSent(int bytes) {
    framesSent.incrementAndGet();
    bytesSent.addAndGet(bytes);
  }

  /** Counts a skipped frame; returns how many were skipped before it. */
  long frameSkipped() {
    return framesSkipped.getAndIncrement();
  }

  void controlReceived(String json) {
    controlsReceived.incrementAndGet();
    lastControl.set(json);
  }

  /** A connection is up (framed: the handshake completed). */
  void connected() {
    connected = true;
    connections.incrementAndGet();
  }

  void disconnected() {
    connected = false;
  }

  void failed(String why) {
    lastError.set(why);
  }

  long framesSent() {
    return framesSent.get();
  }

  long bytesSent() {
    return bytesSent.get();
  }

  long framesSkipped() {
    return framesSkipped.get();
  }

  long controlsReceived() {
    return controlsReceived.get();
  }

  long connections() {
    return connections.get();
  }

  boolean isConnected() {
    return connected;
  }

  String lastControl() {
    return lastControl.get();
  }

  String lastError() {
    return lastError.get();
  }
}
