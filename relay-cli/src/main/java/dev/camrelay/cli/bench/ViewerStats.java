package dev.camrelay.cli.bench;

import dev.camrelay.cli.client.WsViewerClient;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** What one bench viewer received. Updated on its event-loop thread, read when the run is over. */
final class ViewerStats implements WsViewerClient.Listener {
  final boolean slow;
  /** Frames tagged before the run started (e.g. the relay's latest frame from an earlier run) are "stale". */
  volatile double notBefore = Double.MAX_VALUE;
  private boolean connected;
  private long frames;
  private long bytes;
  private long corrupt;
  private long untagged;
  private long stale;
  private float[] latencies = new float[256];
  private int latencyCount;

  ViewerStats(boolean slow) {
    this.slow = slow;
  }

  synchronized void connected() {
    connected = true;
  }

  @Override
  public synchronized void onBinary(ByteBuf data, long receivedNanos) {
    double now = BenchClock.toMillis(receivedNanos);
    bytes += data.readableBytes();
    BenchTag.Tag tag = BenchTag.read(data);
    if (tag == null) {
      untagged++;
      return;
    }
    if (!BenchTag.intact(data, tag)) {
      corrupt++;
      return;
    }
    counted(tag.sentMillis(), now);
  }

  /**
   * An RTSP viewer's whole frame of {@code payloadBytes} RTP/JPEG payload bytes, sent by the camera at
   * {@code sentMillis} ({@link BenchClock}; NaN when the frame could not be identified), its last packet read at
   * {@code receivedNanos}.
   */
  synchronized void onRtpFrame(long payloadBytes, double sentMillis, long receivedNanos) {
    bytes += payloadBytes;
    if (Double.isNaN(sentMillis)) {
      untagged++;
      return;
    }
    counted(sentMillis, BenchClock.toMillis(receivedNanos));
  }

  private void counted(double sentMillis, double receivedMillis) {
    if (sentMillis < notBefore) {
      stale++;
      return;
    }
    frames++;
    if (latencyCount == latencies.length) {
      latencies = Arrays.copyOf(latencies, latencies.length * 2);
    }
    latencies[latencyCount++] = (float) (receivedMillis - sentMillis);
  }

  synchronized boolean isConnected() {
    return connected;
  }

  synchronized long frames() {
    return frames;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long corrupt() {
    return corrupt;
  }

  synchronized long untagged() {
    return untagged;
  }

  synchronized long stale() {
    return stale;
  }

  synchronized float[] latencies() {
    return Arrays.copyOf(latencies, latencyCount);
  }
}
