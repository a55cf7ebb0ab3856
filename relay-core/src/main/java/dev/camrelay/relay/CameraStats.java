package dev.camrelay.relay;

/**
 * A snapshot of one camera's state, as served by {@code /api/cameras}.
 *
 * @param id camera id (see {@link dev.camrelay.frame.wire.CameraId#RULE})
 * @param connected whether a source is attached right now
 * @param ingest how frames arrive: {@code raw-tcp}, {@code raw-tcp-per-frame}, {@code framed}, {@code websocket},
 *     {@code pull} or {@code java}; the last one seen when disconnected, null if the camera never had a source
 * @param remote the source's address ({@code ip:port}), or a description for in-process sources; null if never seen
 * @param width width of the latest frame in pixels, 0 before the first frame
 * @param height height of the latest frame in pixels, 0 before the first frame
 * @param progressive whether the latest frame is a progressive JPEG
 * @param fps frames per second received over the last two seconds
 * @param bitrateKbps kilobits per second received over the last two seconds
 * @param viewers viewers attached right now (WebSocket and MJPEG)
 * @param framesIn complete frames published since the camera was first seen
 * @param framesDropped frames the camera sent that were dropped as invalid, oversized or truncated
 * @param lastFrameAgeMs milliseconds since the latest frame, -1 before the first frame
 * @param control whether the connected camera accepts control commands
 * @param onDemand whether the connected camera streams only while watched
 * @param streaming whether the connected camera is expected to be sending frames now
 * @param node the relay node of a cluster the camera is connected to, null when it is (or was last) this relay
 */
public record CameraStats(
    String id,
    boolean connected,
    String ingest,
    String remote,
    int width,
    int height,
    boolean progressive,
    double fps,
    double bitrateKbps,
    int viewers,
    long framesIn,
    long framesDropped,
    long lastFrameAgeMs,
    boolean control,
    boolean onDemand,
    boolean streaming,
    String node) {

  /** A camera of this relay (no {@code node}). */
  public CameraStats(String id, boolean connected, String ingest, String remote, int width, int height,
      boolean progressive, double fps, double bitrateKbps, int viewers, long framesIn, long framesDropped,
      long lastFrameAgeMs, boolean control, boolean onDemand, boolean streaming) {
    this(id, connected, ingest, remote, width, height, progressive, fps, bitrateKbps, viewers, framesIn,
        framesDropped, lastFrameAgeMs, control, onDemand, streaming, null);
  }
}
