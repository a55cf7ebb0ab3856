package dev.camrelay.relay.internal.past;

import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.internal.clips.Clips;
import dev.camrelay.relay.internal.port.http.CameraRoute;
import dev.camrelay.relay.internal.port.http.HttpExchange;
import dev.camrelay.relay.internal.port.websocket.WsEndpoint;
import dev.camrelay.relay.internal.record.RecordingStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocketImpl;

/**
 * The relay's look into the past: the recordings' and the pre-event clips' HTTP routes ({@link PastRoutes}) and the
 * threads that read the disk for them, so that no event loop ever waits on a file. Two threads: disk reads of one
 * request are short (a chunk, a frame), and paced streams wait on the scheduler, not in a thread, so two serve many
 * replays.
 */
public final class Past implements AutoCloseable {
  private static final int THREADS = 2;

  private final RecordingStore store;
  private final Clips clips;
  private final String clipsWhere;
  private final ScheduledThreadPoolExecutor threads;
  private volatile PastRoutes routes;

  /** {@code storeOrNull}: the recordings, or null when the relay does not record. */
  public Past(RecordingStore storeOrNull) {
    this(storeOrNull, null);
  }

  /**
   * {@code storeOrNull}: the recordings, or null when the relay does not record; {@code clipsOrNull}: the pre-event
   * clips (started and closed by this), or null when they are off.
   */
  public Past(RecordingStore storeOrNull, Clips clipsOrNull) {
    this(storeOrNull, clipsOrNull, "");
  }

  /** {@code clipsWhere}: where clips go without recordings, for the start-up log line. */
  public Past(RecordingStore storeOrNull, Clips clipsOrNull, String clipsWhere) {
    this.store = storeOrNull;
    this.clips = clipsOrNull;
    this.clipsWhere = clipsWhere;
    AtomicInteger n = new AtomicInteger();
    this.threads = new ScheduledThreadPoolExecutor(THREADS, r -> {
      Thread t = new Thread(r, "camrelay-past-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.setRemoveOnCancelPolicy(true);
    if (storeOrNull != null) {
      threads.execute(() -> deleteStaleExports(storeOrNull));
    }
  }

  /** Exports a stopped relay was still writing or sending. */
  private static void deleteStaleExports(RecordingStore store) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(store.dir().resolve(PastRoutes.EXPORTS), "*.avi")) {
      for (Path p : ds) {
        PastRoutes.deleteQuietly(p);
      }
    } catch (IOException e) {
      // none yet, or the folder is unreadable: exports will say so
    }
  }

  /** A past with no recordings and no clips: its routes say so. */
  public static Past none() {
    return new Past(null, null);
  }

  /** Puts the pre-event rings on the cameras, if clips are on. */
  public Past start() {
    if (clips != null) {
      clips.start(store != null ? store.dir().resolve("{id}").resolve("clips").toString() : clipsWhere);
    }
    return this;
  }

  /** The recordings, or null. */
  public RecordingStore store() {
    return store;
  }

  /** The camera routes of the past, by file name; {@code liveSnapshot} answers {@code snapshot.jpg} without ?at=. */
  public Map<String, CameraRoute> routes(MjpegWriter writer, CameraRoute liveSnapshot) {
    routes = new PastRoutes(store, clips, threads, writer);
    return routes.routes(liveSnapshot);
  }

  /** {@code POST /cam/{id}/clips}, after the control token and the camera id were checked; see PastRoutes. */
  public void saveClip(HttpExchange exchange, String cameraId) {
    routes.saveClip(exchange, cameraId);
  }

  /**
   * The endpoint of a WebSocket viewer that asked for a replay ({@link WsReplay}), already started; without
   * recordings the connection is closed with 4404 saying so.
   */
  public WsEndpoint replay(WebSocketImpl conn, String cameraId, boolean v1, ReplayRequest request) {
    if (store == null) {
      conn.close(4404, "this relay keeps no recordings: start it with --record-dir DIR");
      return WsReplay.NOTHING;
    }
    WsReplay replay = new WsReplay(conn, store, cameraId, v1, request, threads);
    replay.start();
    return replay;
  }

  /** Stops the threads; streams still open end as their connections close. */
  @Override
  public void close() {
    if (clips != null) {
      clips.close();
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
