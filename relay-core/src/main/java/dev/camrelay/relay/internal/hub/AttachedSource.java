package dev.camrelay.relay.internal.hub;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraSource;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.SourceHandle;
import dev.camrelay.relay.SourceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source's attachment to a {@link Camera}: what the source holds to publish, answer and leave. */
final class AttachedSource implements SourceHandle {
  private static final Logger log = LoggerFactory.getLogger(AttachedSource.class);
  /** Marks "no sequence/capture time from the source": the camera counts and stamps the frame itself. */
  static final long NONE = Long.MIN_VALUE;

  final Camera camera;
  /** What the source declared; kind and remote may change ({@link #update}), capabilities may not. */
  volatile SourceInfo info;
  /** What the source declared when it attached: the connect and disconnect log lines both name it so. */
  final SourceInfo attachedAs;
  final CameraSource source;
  /** Cleared (under the camera's lock) once this is no longer the camera's source. */
  volatile boolean attached = true;

  AttachedSource(Camera camera, SourceInfo info, CameraSource source) {
    this.camera = camera;
    this.info = info;
    this.attachedAs = info;
    this.source = source;
  }

  @Override
  public String cameraId() {
    return camera.id();
  }

  @Override
  public boolean publish(JpegFrame frame) {
    return camera.publishFrom(this, frame, NONE, NONE);
  }

  @Override
  public boolean publish(JpegFrame frame, long sequence, long captureMicros) {
    return camera.publishFrom(this, frame, sequence, captureMicros);
  }

  @Override
  public void frameDropped() {
    camera.frameDropped();
  }

  @Override
  public boolean streamWanted() {
    return camera.streamWanted(this);
  }

  @Override
  public boolean reply(long requestId, String json) {
    return camera.controls().reply(this, requestId, json);
  }

  @Override
  public void update(SourceInfo newInfo) {
    SourceInfo old = info;
    if (newInfo.control() != old.control() || newInfo.onDemand() != old.onDemand()) {
      throw new IllegalArgumentException("a source cannot change its control or on-demand capability; attach anew");
    }
    info = newInfo;
    if (!newInfo.kind().equals(old.kind())) {
      log.info("camera '{}': now {} (was {})", camera.id(), newInfo.kind(), old.kind());
    }
  }

  @Override
  public boolean attached() {
    return attached;
  }

  @Override
  public void detach(String reason) {
    camera.detach(this, reason);
  }

  @Override
  public void close() {
    detach("source closed");
  }

  /** Tells the source the relay detached it; a source that throws is only logged. */
  void notifyDetached(DetachReason reason, String message) {
    try {
      source.onDetached(reason, message);
    } catch (RuntimeException e) {
      log.warn("camera '{}': {} source failed while being detached: {}", camera.id(), info.kind(), e.toString());
    }
  }

  @Override
  public String toString() {
    return info.kind() + " source " + info.remote() + " of camera '" + camera.id() + "'";
  }
}
