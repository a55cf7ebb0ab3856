package dev.camrelay.relay.internal.output.listener;

import dev.camrelay.relay.CameraFrame;
import dev.camrelay.relay.CameraOutput;
import dev.camrelay.relay.DetachReason;
import dev.camrelay.relay.FrameListener;
import dev.camrelay.relay.OutputHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process {@link FrameListener} as an output of one camera: each frame runs the listener on the relay's
 * listener executor, and the next frame follows only when it returned (newest wins meanwhile). A listener that throws
 * is logged and goes on getting frames.
 */
public final class FrameListenerOutput implements CameraOutput {
  private static final Logger log = LoggerFactory.getLogger(FrameListenerOutput.class);

  private final String cameraId;
  private final FrameListener listener;
  private final Executor executor;
  private volatile OutputHandle handle;

  public FrameListenerOutput(String cameraId, FrameListener listener, Executor executor) {
    this.cameraId = cameraId;
    this.listener = listener;
    this.executor = executor;
  }

  @Override
  public void onAttached(OutputHandle handle) {
    this.handle = handle;
  }

  @Override
  public void onFrame(CameraFrame frame) {
    try {
      executor.execute(() -> {
        try {
          listener.onFrame(cameraId, frame.jpeg());
        } catch (RuntimeException e) {
          log.warn("frame listener {} failed on camera '{}': {}", listener, cameraId, e.toString());
        } finally {
          handle.ready();
        }
      });
    } catch (RejectedExecutionException e) {
      handle.close(); // the relay is closing
    }
  }

  @Override
  public void onDetached(DetachReason reason, String message) {
    // Nothing held: the listener's current call, if any, finishes on its own.
  }

  @Override
  public String kind() {
    return "listener";
  }
}
