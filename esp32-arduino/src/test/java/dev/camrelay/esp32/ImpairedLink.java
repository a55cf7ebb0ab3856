package dev.camrelay.esp32;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small userspace impairment proxy on loopback (this kernel has no netem): forwards TCP connections to a target
 * and, on the way from the camera to the relay, stalls at random (0.3–1.5 s), adds 200 ms delay spikes at random,
 * and can cut the link entirely for a while ({@link #outage}): open connections are reset and new ones are closed
 * as soon as they are accepted. Randomness is seeded, so a run is repeatable in what it does (not in timing).
 */
final class ImpairedLink implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final Random random = new Random(1234);
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong outageUntilNanos = new AtomicLong(System.nanoTime());  // no outage yet
  private final AtomicLong stalls = new AtomicLong();
  private final AtomicLong spikes = new AtomicLong();
  private volatile boolean closed;

  ImpairedLink(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "impaired-link-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  long stalls() {
    return stalls.get();
  }

  long spikes() {
    return spikes.get();
  }

  /** Cuts the link for {@code millis}: resets every open connection and refuses new ones until then. */
  void outage(long millis) {
    outageUntilNanos.set(System.nanoTime() + millis * 1_000_000L);
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private boolean inOutage() {
    return System.nanoTime() - outageUntilNanos.get() < 0;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (inOutage()) {
          client.setSoLinger(true, 0);  // a reset, as from a dead route
          client.close();
          continue;
        }
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        open.add(client);
        open.add(upstream);
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, boolean impaired) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (impaired) {
            impair();
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the link was cut or one side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, impaired ? "impaired-link-up" : "impaired-link-down");
    t.setDaemon(true);
    t.start();
  }

  private void impair() throws InterruptedException {
    double dice;
    int stallMs;
    synchronized (random) {
      dice = random.nextDouble();
      stallMs = 300 + random.nextInt(1200);
    }
    if (dice < 0.004) {
      stalls.incrementAndGet();
      Thread.sleep(stallMs);
    } else if (dice < 0.02) {
      spikes.incrementAndGet();
      Thread.sleep(200);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
