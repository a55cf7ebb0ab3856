package dev.camrelay.cluster.internal;

import dev.camrelay.cluster.ClusterOptions;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's NATS connection (jnats): connects with the cluster options' servers, credentials and TLS, reconnects
 * forever in the background, and logs one line when the bus goes and one when it returns. Publishing while
 * disconnected drops the message (nothing is buffered: stale frames and presence are worthless after a reconnect,
 * and everything that matters is re-sent then), and so does publishing faster than the link to the server takes
 * (at most {@value #OUTGOING_QUEUE} messages wait), so a slow link never blocks a camera's thread.
 */
public final class Bus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Bus.class);

  private final Connection connection;
  /**
   * Whether the connection was up when last heard of: false until the first connect succeeded, so that connect logs
   * nothing (its failure is the caller's one error, see JoinTest) and later losses and returns one line each way.
   */
  private final AtomicBoolean up = new AtomicBoolean(false);
  private volatile boolean closing;
  /** Messages the client queues for the server at most; beyond them publishing drops (counted). */
  static final int OUTGOING_QUEUE = 256;
  /** Bytes waiting for the server above which frames are skipped. */
  static final long BACKLOG_BYTES = 2L * 1024 * 1024;
  private final AtomicLong slowConsumerEvents = new AtomicLong();
  private final AtomicLong sendDrops = new AtomicLong();
  private final EveryMinute slowConsumerLog = new EveryMinute();
  private volatile Runnable onReconnected = () -> {};

  /** The last exception jnats reported, to say why the first connect failed (jnats' own message does not). */
  private final AtomicReference<Exception> lastException = new AtomicReference<>();

  private Bus(Options.Builder options) throws IOException {
    options.connectionListener(this::connectionEvent).errorListener(new Errors());
    try {
      this.connection = Nats.connect(options.build());
      up.set(true);
    } catch (IOException e) {
      throw new IOException("cannot connect to NATS: " + e.getMessage() + ConnectFailure.reason(lastException.get()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to NATS", e);
    }
  }

  /**
   * Connects to one of {@code options}' servers.
   *
   * @throws IOException if none could be reached, the credentials were refused, or a credentials, token or trust
   *     store file cannot be read
   */
  public static Bus connect(ClusterOptions options, String connectionName) throws IOException {
    Options.Builder b = new Options.Builder()
        .servers(options.servers().stream().map(URI::toString).toArray(String[]::new))
        .connectionName(connectionName)
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        .reconnectBufferSize(0)
        // A slow link to NATS must never block a camera's thread (outputs must not block): drop instead.
        .maxMessagesInOutgoingQueue(OUTGOING_QUEUE)
        .discardMessagesWhenOutgoingQueueFull()
        .connectionTimeout(Duration.ofSeconds(5))
        .pingInterval(Duration.ofSeconds(2));
    if (options.credentialsFile() != null) {
      if (!Files.isReadable(options.credentialsFile())) {
        throw new IOException("cannot read the NATS credentials file " + options.credentialsFile());
      }
      b.authHandler(credentials(options.credentialsFile()));
    }
    if (options.tokenFile() != null) {
      String token = Files.readString(options.tokenFile(), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IOException("the NATS token file " + options.tokenFile() + " is empty");
      }
      b.token(token.toCharArray());
    }
    if (options.trustStore() != null) {
      b.sslContext(sslContext(options));
    } else if (options.tls()) {
      try {
        b.sslContext(SSLContext.getDefault());
      } catch (GeneralSecurityException e) {
        throw new IOException("no default TLS context: " + e.getMessage(), e);
      }
    }
    return new Bus(b);
  }

  /** jnats' handler for a {@code .creds} file, checked now so a broken file is named rather than "cannot connect". */
  private static AuthHandler credentials(Path file) throws IOException {
    AuthHandler handler = Nats.credentials(file.toString());
    try {
      char[] jwt = handler.getJWT();
      if (jwt == null || jwt.length == 0 || handler.sign(new byte[] {1}) == null) {
        throw new IOException("the NATS credentials file " + file + " holds no user JWT and NKey seed");
      }
    } catch (RuntimeException e) {
      throw new IOException("the NATS credentials file " + file + " is not a .creds file (user JWT and NKey seed)",
          e);
    }
    return handler;
  }

  private static SSLContext sslContext(ClusterOptions options) throws IOException {
    char[] password = options.trustStorePassword();
    try (InputStream in = Files.newInputStream(options.trustStore())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the trust store " + options.trustStore() + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code r} (on a jnats thread) after each reconnect. */
  public void onReconnected(Runnable r) {
    this.onReconnected = r;
  }

  public Connection connection() {
    return connection;
  }

  public boolean connected() {
    return connection.getStatus() == Connection.Status.CONNECTED;
  }

  /** The largest message the connected server takes (headers and payload), 1 MB by NATS's default. */
  public long maxPayload() {
    return connection.getServerInfo().getMaxPayload();
  }

  /** Publishes unless disconnected; returns whether the message went to the client's outgoing queue. */
  public boolean publish(String subject, Headers headers, byte[] body) {
    if (!connected()) {
      return false;
    }
    try {
      connection.publish(subject, headers, body);
      return true;
    } catch (IllegalStateException e) {
      return false; // the connection dropped between the check and the publish
    }
  }

  public boolean publish(String subject, byte[] body) {
    return publish(subject, null, body);
  }

  /** Answers request {@code request}, unless disconnected. */
  public void reply(Message request, Headers headers, byte[] body) {
    if (request.getReplyTo() != null) {
      publish(request.getReplyTo(), headers, body);
    }
  }

  /** A request with a deadline; fails at once when disconnected. */
  public CompletableFuture<Message> request(String subject, Headers headers, byte[] body, Duration timeout) {
    if (!connected()) {
      return CompletableFuture.failedFuture(new IOException("not connected to NATS"));
    }
    try {
      return connection.requestWithTimeout(subject, headers, body, timeout);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  public long inBytes() {
    return connection.getStatistics().getInBytes();
  }

  public long outBytes() {
    return connection.getStatistics().getOutBytes();
  }

  /** Messages dropped because the link to NATS could not take them as fast as they came. */
  public long sendDrops() {
    return sendDrops.get();
  }

  /**
   * Whether more than {@value #BACKLOG_BYTES} bytes wait to go to the server: frames are then skipped (counted as
   * send drops) so the next one sent is fresh rather than queued behind stale ones.
   */
  public boolean backlogged() {
    if (connection.outgoingPendingBytes() <= BACKLOG_BYTES) {
      return false;
    }
    sendDrops.incrementAndGet();
    return true;
  }

  /** Times jnats saw a subscription of this node exceed its pending limits (it then drops messages). */
  public long slowConsumerEvents() {
    return slowConsumerEvents.get();
  }

  @Override
  public void close() {
    closing = true;
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void connectionEvent(Connection conn, ConnectionListener.Events event) {
    switch (event) {
      case DISCONNECTED -> {
        if (up.compareAndSet(true, false) && !closing) {
          String why = conn.getLastError();
          log.warn("cluster: lost the NATS connection{}; reconnecting, remote cameras go offline if it stays away",
              why == null || why.isEmpty() ? "" : " (" + why + ")");
        }
      }
      case RECONNECTED -> {
        if (up.compareAndSet(false, true)) {
          log.info("cluster: NATS connection back ({})", conn.getConnectedUrl());
        }
        onReconnected.run();
      }
      default -> { }
    }
  }

  /** jnats' errors: expected ones (a server gone) are in the connection lines already, so only debug here. */
  private final class Errors implements ErrorListener {
    @Override
    public void errorOccurred(Connection conn, String error) {
      log.debug("cluster: NATS error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
      lastException.set(exp);
      log.debug("cluster: NATS exception: {}", exp.toString());
    }

    @Override
    public void messageDiscarded(Connection conn, Message msg) {
      sendDrops.incrementAndGet();
      if (slowConsumerLog.due("send")) {
        log.warn("cluster: the link to NATS is too slow for this node's messages; some were dropped");
      }
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
      slowConsumerEvents.incrementAndGet();
      if (slowConsumerLog.due("slow")) {
        log.warn("cluster: this node reads frames from the bus too slowly; frames are dropped (counted)");
      }
    }
  }
}
