package dev.camrelay.cluster.internal;

import com.google.gson.JsonParseException;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera connected to another node, as this node's hub sees it: an on-demand source of kind {@code cluster}. Only
 * while this node has viewers for it (the hub asks it to stream) does it subscribe to the camera's frame subject,
 * ask the origin for the latest frame (shown at once) and signal demand to the origin, refreshed until streaming
 * stops. Control commands go to the origin as NATS requests and its answer comes back as the reply.
 *
 * <p>Frames are read by a thread of its own per streaming camera, newest wins: when it finds several frames waiting
 * it publishes only the newest. At most {@value #PENDING_FRAMES} wait (jnats drops beyond); both kinds of dropped
 * frames count as slow-consumer drops. Stream start and stop run on the cluster thread.
 */
final class RemoteCamera implements CameraSource {
  private static final Logger log = LoggerFactory.getLogger(RemoteCamera.class);
  /** Frames waiting per remote camera at most; beyond them jnats drops (a slow consumer). */
  static final int PENDING_FRAMES = 16;
  private static final long PENDING_BYTES = 64L * 1024 * 1024;
  /** How long the reader waits for a frame before looking whether it was stopped. */
  private static final Duration READ_WAIT = Duration.ofMillis(250);
  /** How long the reader waits for a frame the subscription says is pending (never 0: that waits forever). */
  private static final Duration NEXT_WAIT = Duration.ofMillis(1);

  /** What the camera's source on this node needs from the node. */
  record Context(CameraHub hub, Bus bus, Subjects subjects, String node, ScheduledExecutorService clusterThread,
      Duration refresh, Duration requestTimeout, LongConsumer closedDrops, EveryMinute badFrameLog) {}

  final String cameraId;
  final String origin;
  volatile Messages.Camera announced;
  private final Context ctx;
  private final Consumer<RemoteCamera> onGone;
  private final Object publishLock = new Object();
  private SourceHandle handle;
  // Written on the cluster thread only (read by the meters and the reader):
  private volatile Subscription subscription;
  private ScheduledFuture<?> refresh;
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean live;

  RemoteCamera(Messages.Camera announced, String origin, Context ctx, Consumer<RemoteCamera> onGone) {
    this.cameraId = announced.id();
    this.announced = announced;
    this.origin = origin;
    this.ctx = ctx;
    this.onGone = onGone;
  }

  /** Attaches as the camera's source on this node (replacing whatever was); cluster thread. */
  void attach() {
    SourceInfo info = new SourceInfo("cluster", "node " + origin, announced.control(), true, true).withNode(origin);
    handle = ctx.hub().attachSource(cameraId, info, this);
    if (handle.streamWanted()) {
      start();
    }
  }

  /** Detaches: the camera shows offline here until another node announces it; cluster thread. */
  void detach(String reason) {
    stop();
    if (handle != null) {
      handle.detach(reason);
    }
  }

  boolean streaming() {
    return subscription != null;
  }

  /** Frames dropped or skipped so far on the open subscription (0 when not streaming). */
  long droppedNow() {
    Subscription s = subscription;
    return s == null ? 0 : s.getDroppedCount() + skipped.get();
  }

  @Override
  public void onStreamRequest(boolean on, ControlRequest request) {
    ctx.clusterThread().execute(() -> {
      if (handle != null && handle.attached()) {
        if (on) {
          start();
        } else {
          stop();
        }
      }
    });
    request.reply("{\"ok\":true}");
  }

  @Override
  public void onControl(ControlRequest request) {
    ctx.clusterThread().execute(() -> forward(request)); // jnats may block while reconnecting: not a relay thread
  }

  private void forward(ControlRequest request) {
    byte[] body = Messages.write(new Messages.Control(cameraId, request.json()));
    ctx.bus().request(ctx.subjects().control(origin), null, body, ctx.requestTimeout()).whenComplete((m, e) -> {
      if (e != null) {
        request.fail("node " + origin + " did not answer: " + e.getMessage());
        return;
      }
      try {
        Messages.ControlAnswer a = Messages.read(m.getData(), Messages.ControlAnswer.class);
        if (a.error() != null) {
          request.fail(a.error());
        } else {
          request.reply(a.reply());
        }
      } catch (JsonParseException ex) {
        request.fail("node " + origin + " answered something unreadable");
      }
    });
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    // Replaced (a local camera or a newer node took the id) or the relay is closing.
    ctx.clusterThread().execute(() -> {
      stop();
      onGone.accept(this);
    });
  }

  private void start() {
    if (subscription != null) {
      return;
    }
    live = false;
    skipped.set(0);
    Subscription s = ctx.bus().connection().subscribe(ctx.subjects().frames(cameraId));
    s.setPendingLimits(PENDING_FRAMES, PENDING_BYTES);
    subscription = s;
    Thread reader = new Thread(() -> read(s), "camrelay-cluster-frames");
    reader.setDaemon(true);
    reader.start();
    demand(true);
    long period = ctx.refresh().toMillis();
    refresh = ctx.clusterThread().scheduleAtFixedRate(() -> demand(true), period, period, TimeUnit.MILLISECONDS);
    byte[] id = cameraId.getBytes(StandardCharsets.UTF_8);
    ctx.bus().request(ctx.subjects().latest(origin), null, id, ctx.requestTimeout()).thenAccept(this::onLatest);
  }

  private void stop() {
    Subscription s = subscription;
    if (s == null) {
      return;
    }
    refresh.cancel(false);
    ctx.closedDrops().accept(droppedNow());
    subscription = null; // the reader ends on its next look
    try {
      s.unsubscribe();
    } catch (IllegalStateException e) {
      // the connection is closing
    }
    demand(false);
  }

  /** Publishes frames as they come, only the newest of several waiting; ends when {@code s} is stopped. */
  private void read(Subscription s) {
    try {
      while (subscription == s) {
        Message m = s.nextMessage(READ_WAIT);
        if (m == null) {
          continue;
        }
        Message newer;
        while (s.getPendingMessageCount() > 0 && (newer = s.nextMessage(NEXT_WAIT)) != null) {
          m = newer;
          skipped.incrementAndGet();
        }
        publish(m, true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      // unsubscribed or the connection closed: stopped
    }
  }

  private void demand(boolean on) {
    ctx.bus().publish(ctx.subjects().demand(origin), Messages.write(new Messages.Demand(cameraId, ctx.node(), on)));
  }

  private void onLatest(Message m) {
    if (m.getData() != null && m.getData().length > 0) {
      publish(m, false);
    }
  }

  private void publish(Message m, boolean fromStream) {
    FrameCodec.Received f;
    try {
      f = FrameCodec.decode(m);
    } catch (JpegFormatException | RuntimeException e) {
      handle.frameDropped();
      if (ctx.badFrameLog().due(cameraId)) {
        log.warn("cluster: camera '{}': a frame from node {} is unusable: {}", cameraId, origin, e.getMessage());
      }
      return;
    }
    synchronized (publishLock) {
      if (!fromStream && live) {
        return; // a live frame came first: the latest one is older
      }
      live |= fromStream;
      handle.publish(f.jpeg(), f.sequence(), f.captureMicros());
    }
  }
}
