package dev.camrelay.cluster.internal;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.CameraFrame;
import io.nats.client.Message;
import io.nats.client.impl.Headers;

/**
 * A frame on the bus: the JPEG's bytes exactly as the camera sent them as the payload, and the frame's sequence,
 * capture time (microseconds, source clock) and the origin's receive time (microseconds since the epoch) as headers.
 */
final class FrameCodec {
  static final String SEQUENCE = "Seq";
  static final String CAPTURE = "Capture-Us";
  static final String RECEIVED = "Received-Us";

  private FrameCodec() {}

  static Headers headers(CameraFrame frame) {
    return new Headers()
        .put(SEQUENCE, Long.toString(frame.sequence()))
        .put(CAPTURE, Long.toString(frame.captureMicros()))
        .put(RECEIVED, Long.toString(frame.receivedAtMicros()));
  }

  /** A frame read back from a bus message. */
  record Received(JpegFrame jpeg, long sequence, long captureMicros) {}

  /**
   * @throws JpegFormatException if the payload is not one complete JPEG
   * @throws NumberFormatException if a header is missing or not a number
   */
  static Received decode(Message m) throws JpegFormatException {
    Headers h = m.getHeaders();
    if (h == null) {
      throw new NumberFormatException("no frame headers");
    }
    return new Received(JpegFrame.parse(m.getData()), Long.parseLong(h.getFirst(SEQUENCE)),
        Long.parseLong(h.getFirst(CAPTURE)));
  }
}
