package dev.camrelay.relay.internal.port.tcp;

import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.PortBindException;
import dev.camrelay.relay.internal.auth.Authenticator;
import dev.camrelay.relay.internal.firmware.FirmwareUpdates;
import dev.camrelay.relay.internal.port.TcpListener;
import dev.camrelay.relay.internal.runtime.ConnectionLimiter;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import dev.camrelay.relay.internal.runtime.RelayConfig;
import dev.camrelay.relay.internal.source.tcp.IngestContext;
import dev.camrelay.relay.internal.source.tcp.RawSources;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP camera ingest port (3008). Each connection is identified from its first bytes ({@link SniffHandler}):
 *
 * <pre>
 * FF D8 ...      raw JPEGs → {@link RawJpegHandler}, published as the default camera
 *                  (one JPEG per connection ended by close, or many back to back)
 * "CRLY" ...     framed protocol v1 → {@link FramedSessionHandler} (HELLO / WELCOME / FRAME / CONTROL ...)
 * "GET " ...     an HTTP client → "HTTP/1.1 400" explaining which port is which, then close
 * anything else  close, with a log line naming what was seen (at most one per 10 s per kind)
 * </pre>
 *
 * <p>With a TLS key ({@code tlsOrNull}), a connection that opens with a TLS ClientHello ({@code 16 03 ...}) is
 * decrypted first ({@link TlsOrPlain}) and then identified the same way; plain TCP still works unless
 * {@link RelayConfig#requireCameraTls()}, which refuses it (framed: ERROR 3 AUTH_FAILED saying TLS is required).
 *
 * <p>Connections over the total or per-IP limit are closed at once; a connection that sends nothing identifiable
 * within the handshake timeout (TLS handshake included) is closed.
 */
public final class TcpIngestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpIngestServer.class);

  private final IngestContext context;
  private final TcpListener listener;
  private final SSLContext tls;

  /** {@code tlsOrNull}: the relay's TLS key, also offered on this port; null for plain TCP only. */
  public TcpIngestServer(RelayConfig config, CameraHub hub, Authenticator auth, ConnectionLimiter limiter,
      ScheduledExecutorService timer, int httpPort, int wsPort, SSLContext tlsOrNull, FirmwareUpdates firmware) {
    this.tls = tlsOrNull;
    this.context = new IngestContext(config, hub, auth, new LogLimiter(log, 10_000),
        new RawSources(hub, config, timer), httpPort, wsPort, firmware);
    this.listener = new TcpListener("TCP ingest", PortBindException.Setting.TCP_PORT, limiter, context.logLimiter());
  }

  /**
   * Binds the TCP ingest port; returns the bound port. With {@code nativeLoopsOrNull} (see
   * {@link dev.camrelay.relay.internal.port.NativeLoops}) each of those loops listens and serves the cameras it
   * accepts; without, {@code boss} accepts and hands connections to {@code workers}.
   *
   * @throws dev.camrelay.relay.PortBindException naming the port when it cannot be bound
   */
  public int start(EventLoopGroup boss, EventLoopGroup workers, EventLoopGroup nativeLoopsOrNull) throws IOException {
    RelayConfig config = context.config();
    int port = nativeLoopsOrNull != null
        ? listener.bindOnEachLoop(nativeLoopsOrNull, config.bindHost(), config.tcpPort(), this::accept)
        : listener.bind(boss, workers, config.bindHost(), config.tcpPort(), this::accept);
    log.info("camera TCP ingest listening on {}:{} ({}; {})", config.bindHost(), port, accepts(),
        config.allowRawIngest() ? "framed protocol or raw JPEG" : "framed protocol only, raw JPEG refused");
    return port;
  }

  /** What the port takes, for the start-up line: TLS, plain TCP or both. */
  private String accepts() {
    if (tls == null) {
      return "plain TCP only: no TLS key configured";
    }
    return context.config().requireCameraTls() ? "TLS only: plain TCP cameras are refused"
        : "TLS or plain TCP";
  }

  private void accept(SocketChannel ch, String remote) {
    SniffHandler sniff = new SniffHandler(context, remote);
    if (tls != null) {
      ch.pipeline().addLast(TlsOrPlain.NAME, new TlsOrPlain(tls));
    }
    ch.pipeline().addLast(SniffHandler.NAME, sniff);
    long timeoutMs = context.config().handshakeTimeout().toMillis();
    ch.eventLoop().schedule(() -> sniff.handshakeDeadline(ch), timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Connections open right now (for tests). */
  public int connectionCount() {
    return listener.connectionCount();
  }

  /** Unbinds and closes every connection (sessions were already told BYE by the hub). */
  @Override
  public void close() {
    listener.close();
  }
}
