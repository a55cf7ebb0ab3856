package dev.camrelay.relay.testing;

import dev.camrelay.frame.wire.Control;
import dev.camrelay.frame.wire.Hello;
import dev.camrelay.frame.wire.Message;
import dev.camrelay.frame.wire.MessageDecoder;
import dev.camrelay.frame.wire.MessageEncoder;
import dev.camrelay.frame.wire.MessageType;
import dev.camrelay.frame.wire.ProtocolException;
import dev.camrelay.frame.wire.Reason;
import dev.camrelay.frame.wire.Welcome;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scriptable camera for tests, speaking raw JPEG or the framed protocol over a real socket, with fault policies:
 * send part of a frame then stall or disconnect, send garbage, ignore pings, answer or ignore control commands.
 *
 * <p>Framed cameras read the relay's messages on a background thread: PINGs are answered (unless
 * {@link #ignorePings}), CONTROL commands are recorded in {@link #controls} and answered by the
 * {@link #answerControl responder} if one is set; everything is recorded in {@link #received}.
 */
public final class FakeCamera implements Closeable {
  private final Socket socket;
  private final OutputStream out;
  private final boolean framed;
  private long sequence;
  public final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
  public final BlockingQueue<Control> controls = new LinkedBlockingQueue<>();
  private volatile Function<String, String> responder;
  private volatile boolean ignorePings;
  private volatile boolean closedByRelay;
  private Thread reader;

  private FakeCamera(Socket socket, boolean framed) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.framed = framed;
  }

  private static Socket open(int port) throws IOException {
    return open("127.0.0.1", port);
  }

  /** Connects from {@code fromAddress} (any of 127.0.0.0/8 on Linux), so the relay sees a distinct client address. */
  private static Socket open(String fromAddress, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(fromAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setTcpNoDelay(true);
    s.setSoTimeout(10_000);
    return s;
  }

  /** A TLS connection to the camera port, handshake done, trusting what {@code tls} trusts. */
  public static Socket openTls(int port, SSLContext tls) throws IOException {
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setTcpNoDelay(true);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  /** A raw JPEG camera: bytes go out exactly as given. */
  public static FakeCamera raw(int port) throws IOException {
    return raw(open(port));
  }

  /** A raw JPEG camera on a socket already open (e.g. {@link #openTls}). */
  public static FakeCamera raw(Socket socket) throws IOException {
    return new FakeCamera(socket, false);
  }

  /** The ESP32 hobby sketch: one connection per frame, closed after the JPEG. */
  public static void sendOnePerConnection(int port, byte[] jpeg) throws IOException {
    try (Socket s = open(port)) {
      s.getOutputStream().write(jpeg);
      s.getOutputStream().flush();
      s.shutdownOutput();
      // Wait for the relay to close its side, so the frame was read before the next connection starts.
      InputStream in = s.getInputStream();
      try {
        while (in.read() >= 0) {
          // nothing is expected
        }
      } catch (IOException e) {
        // reset is fine
      }
    }
  }

  /** A framed camera that has sent HELLO (the WELCOME or ERROR arrives in {@link #received}). */
  public static FakeCamera framed(int port, String cameraId, String token, int capabilities) throws IOException {
    return framedFrom("127.0.0.1", port, cameraId, token, capabilities);
  }

  /** Like {@link #framed}, connecting from the loopback address {@code fromAddress} (e.g. 127.0.0.2). */
  public static FakeCamera framedFrom(String fromAddress, int port, String cameraId, String token, int capabilities)
      throws IOException {
    return framed(open(fromAddress, port), cameraId, token, capabilities);
  }

  /** A framed camera on a socket already open (e.g. {@link #openTls}) that has sent HELLO. */
  public static FakeCamera framed(Socket socket, String cameraId, String token, int capabilities)
      throws IOException {
    FakeCamera c = new FakeCamera(socket, true);
    c.startReader();
    c.send(Message.hello(new Hello(1, capabilities, cameraId, token, "fake-camera/1")));
    return c;
  }

  /** A framed connection that has sent nothing yet. */
  public static FakeCamera framedSilent(int port) throws IOException {
    FakeCamera c = new FakeCamera(open(port), true);
    c.startReader();
    return c;
  }

  public FakeCamera answerControl(Function<String, String> responder) {
    this.responder = responder;
    return this;
  }

  public FakeCamera ignorePings() {
    this.ignorePings = true;
    return this;
  }

  /** Waits for WELCOME; fails if the relay sent something else first. */
  public Welcome awaitWelcome() throws Exception {
    Message m = next();
    if (m.type() != MessageType.WELCOME) {
      throw new AssertionError("expected WELCOME, got " + m.type() + describe(m));
    }
    return Welcome.decode(m);
  }

  /** Waits for the next message of {@code type}, skipping PINGs. */
  public Message awaitMessage(MessageType type) throws Exception {
    while (true) {
      Message m = next();
      if (m.type() == type) {
        return m;
      }
      if (m.type() != MessageType.PING) {
        throw new AssertionError("expected " + type + ", got " + m.type() + describe(m));
      }
    }
  }

  /** Waits for ERROR or BYE and returns its reason. */
  public Reason awaitClose(MessageType type) throws Exception {
    return Reason.decode(awaitMessage(type));
  }

  public Control awaitControl() throws InterruptedException {
    Control c = controls.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no CONTROL within 10 s");
    }
    return c;
  }

  private Message next() throws InterruptedException {
    Message m = received.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("nothing from the relay within 10 s");
    }
    return m;
  }

  private static String describe(Message m) {
    if (m.type() == MessageType.ERROR || m.type() == MessageType.BYE) {
      try {
        return " " + Reason.decode(m);
      } catch (ProtocolException e) {
        return "";
      }
    }
    return "";
  }

  /** Sends one JPEG: raw bytes, or a FRAME message. */
  public void sendFrame(byte[] jpeg) throws IOException {
    if (framed) {
      send(Message.frame(++sequence, System.nanoTime() / 1000, jpeg));
    } else {
      write(jpeg);
    }
  }

  /** Sends the first {@code length} bytes of what {@link #sendFrame} would send (then stall or disconnect). */
  public void sendPartialFrame(byte[] jpeg, int length) throws IOException {
    byte[] whole = framed ? MessageEncoder.encode(Message.frame(++sequence, 0, jpeg)) : jpeg;
    out.write(whole, 0, length);
    out.flush();
  }

  public void send(Message m) throws IOException {
    write(MessageEncoder.encode(m));
  }

  public synchronized void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Drops the connection abruptly (RST), as a camera losing power would look at best. */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** True once the relay closed the connection (EOF seen by the reader, or by a blocking read for raw cameras). */
  public boolean awaitClosedByRelay() throws Exception {
    if (!framed) {
      try {
        return socket.getInputStream().read() < 0;
      } catch (java.net.SocketTimeoutException e) {
        return false; // still open after the socket's read timeout
      } catch (IOException e) {
        return true;
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!closedByRelay && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return closedByRelay;
  }

  private void startReader() {
    reader = new Thread(this::readLoop, "fake-camera-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop() {
    MessageDecoder decoder = new MessageDecoder(this::onMessage);
    byte[] buf = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(0);
      int n;
      while ((n = in.read(buf)) >= 0) {
        decoder.feed(buf, 0, n);
      }
    } catch (IOException e) {
      // closed
    } finally {
      closedByRelay = true;
    }
  }

  private void onMessage(Message m) {
    try {
      if (m.type() == MessageType.PING && !ignorePings) {
        send(Message.pongFor(m));
        return;
      }
      if (m.type() == MessageType.CONTROL) {
        Control c = Control.decode(m);
        controls.add(c);
        Function<String, String> r = responder;
        if (r != null) {
          String reply = r.apply(c.json());
          if (reply != null) {
            send(Message.control(c.requestId(), reply, true));
          }
        }
        return;
      }
      received.add(m);
    } catch (IOException e) {
      // the connection went away
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
