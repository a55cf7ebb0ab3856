package dev.camrelay.cli.simulate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framed protocol v1: {@code HELLO ─► ◄─ WELCOME, FRAME FRAME …} while a {@link FramedSession} answers CONTROL
 * and PING on a reader thread. An on-demand camera streams only while the relay asks, and PINGs the relay while it
 * is idle; a restart command ends the session with BYE (the camera then reconnects).
 */
final class FramedUpload implements Upload {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCamera.class);
  private static final long IDLE_PING_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final UploadContext c;

  FramedUpload(UploadContext context) {
    this.c = context;
  }

  /** One framed session; returns true if the handshake completed. */
  @Override
  public boolean run() throws IOException {
    Socket s = c.relay.connect();
    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    FramedLink link = new FramedLink(out);
    FramedSession session = new FramedSession(link, c);
    Thread reader = new Thread(() -> session.read(s), "camrelay-sim-" + c.cameraId + "-reader");
    reader.setDaemon(true);
    link.hello(c.cameraId, c.token, c.onDemand, c.firmware);
    reader.start();
    if (!session.awaitWelcome(HANDSHAKE_TIMEOUT)) {
      throw new IOException(session.failure() != null ? session.failure()
          : "no WELCOME within " + HANDSHAKE_TIMEOUT.toSeconds() + " s");
    }
    if (c.onDemand) {
      c.settings.streaming(session.streamOnWelcome());
    }
    c.counters.connected();
    log.info("camera '{}' connected to {} (framed v{}{})", c.cameraId, c.relay.address(), session.version(),
        c.onDemand ? ", on demand" : "");
    if (!streamWhileTheSessionLives(link, session)) {
      return true; // restarting on request, or interrupted while idle
    }
    if (session.failure() != null && !c.stopped()) {
      throw new IOException(session.failure());
    }
    if (c.stopped()) {
      try {
        link.bye(0, "camera shutting down");
      } catch (IOException ignored) {
        // the relay may already be gone
      }
    }
    return true;
  }

  /** Sends frames while the session lives; false if it ended with a restart or an interrupt while idle. */
  private boolean streamWhileTheSessionLives(FramedLink link, FramedSession session) throws IOException {
    Pacer pacer = c.pacer();
    long lastSentNanos = System.nanoTime();
    while (!c.stopped() && session.failure() == null) {
      if (session.restartRequested()) {
        log.info("camera '{}' restarting on request", c.cameraId);
        link.bye(0, "restart");
        return false;
      }
      if (c.settings.streaming()) {
        pacer.await();
        if (c.stopped() || !c.settings.streaming() || session.restartRequested()) {
          continue;
        }
        sendFrame(link, session);
        lastSentNanos = System.nanoTime();
      } else {
        pacer.reset();
        if (System.nanoTime() - lastSentNanos > IDLE_PING_NANOS) {
          link.ping(new byte[] {'s', 'i', 'm'}); // keeps an idle on-demand camera from hitting the relay's idle timeout
          lastSentNanos = System.nanoTime();
        }
        boolean idle = c.stop.awaitWhile(() -> !c.settings.streaming() && !session.restartRequested()
            && session.failure() == null, IDLE_WAIT_NANOS);
        if (!idle) {
          return false;
        }
      }
    }
    return true;
  }

  private void sendFrame(FramedLink link, FramedSession session) throws IOException {
    long n = c.counters.framesSent();
    byte[] jpeg = c.nextFrame();
    if (jpeg.length > session.maxPayload()) {
      if (c.counters.frameSkipped() == 0 || log.isDebugEnabled()) {
        log.warn("camera '{}': frame of {} bytes exceeds the relay's limit of {} bytes; skipped", c.cameraId,
            jpeg.length, session.maxPayload());
      }
      return;
    }
    synchronized (session.sendLock) {
      if (!c.settings.streaming() || c.stopped()) {
        return; // stream off arrived while rendering: this frame must not go out
      }
      link.frame(n, TimeUnit.NANOSECONDS.toMicros(System.nanoTime()), jpeg);
      c.sent(jpeg);
    }
  }
}
