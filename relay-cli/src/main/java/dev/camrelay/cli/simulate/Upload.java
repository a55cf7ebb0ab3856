package dev.camrelay.cli.simulate;

import java.io.IOException;

/** How a simulated camera gets its frames to the relay: one implementation per {@link SimulatedCamera.Mode}. */
interface Upload {
  /**
   * Sends frames until the camera stops or the connection fails.
   *
   * @return true if it got through to the relay (so the reconnect backoff starts afresh)
   * @throws IOException when the connection fails; the camera reconnects after a backoff
   */
  boolean run() throws IOException;

  static Upload of(SimulatedCamera.Mode mode, UploadContext context) {
    return switch (mode) {
      case FRAMED -> new FramedUpload(context);
      case RAW -> new RawStreamUpload(context);
      case RAW_PER_FRAME -> new PerFrameUpload(context);
    };
  }
}
