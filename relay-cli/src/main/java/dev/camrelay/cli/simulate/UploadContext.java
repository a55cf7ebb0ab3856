package dev.camrelay.cli.simulate;

/**
 * What every upload mode shares: the camera's identity and settings, the relay it connects to, where its frames come
 * from, its counters and its stop signal.
 */
final class UploadContext {
  final String cameraId;
  final String token;
  final String firmware;
  final boolean onDemand;
  final CameraSettings settings;
  final CameraCounters counters;
  final StopSignal stop;
  final RelayConnector relay;
  private final double fps;
  private final SimulatedCamera.FrameSource frames;

  UploadContext(String cameraId, String token, String firmware, boolean onDemand, double fps, CameraSettings settings,
                CameraCounters counters, StopSignal stop, RelayConnector relay, SimulatedCamera.FrameSource frames) {
    this.cameraId = cameraId;
    this.token = token;
    this.firmware = firmware;
    this.onDemand = onDemand;
    this.fps = fps;
    this.settings = settings;
    this.counters = counters;
    this.stop = stop;
    this.relay = relay;
    this.frames = frames;
  }

  /** A fresh pacer at the camera's frame rate. */
  Pacer pacer() {
    return new Pacer(fps, stop);
  }

  /** Waits for {@code pacer}, then returns the next frame; null once the camera stops. */
  byte[] nextPacedFrame(Pacer pacer) {
    if (stopped()) {
      return null;
    }
    pacer.await();
    return stopped() ? null : nextFrame();
  }

  /** The next frame's JPEG, at the size the settings ask for now. */
  byte[] nextFrame() {
    CameraSettings.Snapshot snap = settings.snapshot();
    return frames.frame(counters.framesSent(), snap.width(), snap.height());
  }

  /** Counts a frame the relay was sent. */
  void sent(byte[] jpeg) {
    counters.frameSent(jpeg.length);
    settings.frameSent();
  }

  boolean stopped() {
    return stop.stopped();
  }
}
