package dev.camrelay.cli.simulate;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader side of one framed connection: waits for WELCOME, answers CONTROL like the firmware (through
 * {@link CameraSettings}) and PING with PONG, and records why the session ended.
 */
final class FramedSession implements FramedLink.Handler {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCamera.class);
  private static final int MAX_RELAY_MESSAGE = 64 * 1024;

  private final FramedLink link;
  private final UploadContext c;
  /**
   * Held while a frame is written and while a command is applied and answered, so a command takes effect between
   * frames: once the relay has the reply to stream off, no further frame follows.
   */
  final Object sendLock = new Object();
  private final CountDownLatch welcomed = new CountDownLatch(1);
  private volatile int version;
  private volatile boolean streamOnWelcome;
  private volatile long maxPayload = Integer.MAX_VALUE;
  private volatile String failure;
  private volatile boolean restart;

  FramedSession(FramedLink link, UploadContext context) {
    this.link = link;
    this.c = context;
  }

  /** Reads the relay's messages until the connection ends (run on the session's reader thread). */
  void read(Socket s) {
    try {
      FramedLink.readLoop(s.getInputStream(), MAX_RELAY_MESSAGE, this);
      fail("relay closed the connection");
    } catch (IOException | RuntimeException e) {
      fail(RelayConnector.describe(e));
    }
  }

  /** True once WELCOME arrived within {@code timeout}; false on a failure, the timeout or an interrupt. */
  boolean awaitWelcome(Duration timeout) {
    try {
      return welcomed.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && failure == null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  int version() {
    return version;
  }

  boolean streamOnWelcome() {
    return streamOnWelcome;
  }

  long maxPayload() {
    return maxPayload;
  }

  /** Why the session ended (the relay's BYE or ERROR, a closed connection), or null while it is alive. */
  String failure() {
    return failure;
  }

  /** True once the relay asked for a restart. */
  boolean restartRequested() {
    return restart;
  }

  private void fail(String why) {
    if (failure == null) {
      failure = why;
    }
    welcomed.countDown();
    c.stop.wakeUp();
  }

  @Override
  public void welcome(int version, boolean stream, long maxPayload) {
    this.version = version;
    this.streamOnWelcome = stream;
    this.maxPayload = maxPayload;
    welcomed.countDown();
  }

  @Override
  public void control(long requestId, String json) {
    c.counters.controlReceived(json);
    CameraSettings.Outcome outcome;
    synchronized (sendLock) {
      outcome = c.settings.apply(json);
      try {
        link.controlReply(requestId, outcome.replyJson());
      } catch (IOException e) {
        fail(RelayConnector.describe(e));
      }
    }
    log.info("camera '{}' control {} -> {}", c.cameraId, json, outcome.replyJson());
    if (outcome.effect() == CameraSettings.Effect.RESTART) {
      restart = true;
    }
    c.stop.wakeUp();
  }

  @Override
  public void ping(byte[] data) {
    try {
      link.pong(data);
    } catch (IOException e) {
      fail(RelayConnector.describe(e));
    }
  }

  @Override
  public void closing(String kind, int code, String reason) {
    fail("relay sent " + kind + " " + code + ": " + reason);
  }
}
