package dev.camrelay.cluster.internal;

import com.google.gson.JsonParseException;
import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.relay.CameraHub;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.ControlRequest;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * <p>Frames arrive on a jnats dispatcher of its own (one thread), with bounded pending messages: a node that reads
 * too slowly drops frames there (counted as slow-consumer drops) and the hub's outputs keep newest-wins.
 * Stream start and stop run on the cluster thread.
 */
final class RemoteCamera implements CameraSource {
  private static final Logger log = LoggerFactory.getLogger(RemoteCamera.class);
  /** Frames waiting per remote camera at most; beyond them jnats drops (a slow consumer). */
  static final int PENDING_FRAMES = 16;
  private static final long PENDING_BYTES = 64L * 1024 * 1024;

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
  // Cluster thread only:
  private Dispatcher dispatcher;
  private ScheduledFuture<?> refresh;
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
    return dispatcher != null;
  }

  /** Frames jnats dropped so far on the open subscription (0 when not streaming). */
  long droppedNow() {
    Dispatcher d = dispatcher;
    return d == null ? 0 : d.getDroppedCount();
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
    if (dispatcher != null) {
      return;
    }
    live = false;
    dispatcher = ctx.bus().connection().createDispatcher(this::onFrameMessage);
    dispatcher.setPendingLimits(PENDING_FRAMES, PENDING_BYTES);
    dispatcher.subscribe(ctx.subjects().frames(cameraId));
    demand(true);
    long period = ctx.refresh().toMillis();
    refresh = ctx.clusterThread().scheduleAtFixedRate(() -> demand(true), period, period, TimeUnit.MILLISECONDS);
    byte[] id = cameraId.getBytes(StandardCharsets.UTF_8);
    ctx.bus().request(ctx.subjects().latest(origin), null, id, ctx.requestTimeout()).thenAccept(this::onLatest);
  }

  private void stop() {
    if (dispatcher == null) {
      return;
    }
    refresh.cancel(false);
    ctx.closedDrops().accept(dispatcher.getDroppedCount());
    ctx.bus().connection().closeDispatcher(dispatcher);
    dispatcher = null;
    demand(false);
  }

  private void demand(boolean on) {
    ctx.bus().publish(ctx.subjects().demand(origin), Messages.write(new Messages.Demand(cameraId, ctx.node(), on)));
  }

  private void onFrameMessage(Message m) {
    publish(m, true);
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
