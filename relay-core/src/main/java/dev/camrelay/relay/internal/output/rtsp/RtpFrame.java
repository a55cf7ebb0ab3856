package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPayloads;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * One camera frame cut into RFC 2435 payloads, in one direct buffer that every RTSP client of the camera sends
 * from; or, when RTP/JPEG cannot carry the frame, the reason. {@link #payloads} is null exactly when
 * {@link #refusal} is not.
 */
record RtpFrame(RtpJpegPayloads payloads, ByteBuf buffer, ByteBuffer view, String refusal) {

  /** A frame of {@code payloads} in {@code buffer}. */
  static RtpFrame of(RtpJpegPayloads payloads, ByteBuf buffer) {
    return new RtpFrame(payloads, buffer, buffer.nioBuffer().asReadOnlyBuffer(), null);
  }

  /** A frame RTP/JPEG cannot carry. */
  static RtpFrame refused(String refusal) {
    return new RtpFrame(null, null, null, refusal);
  }

  /** Payload {@code i} as a buffer of its own position (one small object, no copy); valid while the frame is held. */
  ByteBuffer payloadView(int i) {
    int offset = payloads.offset(i);
    return view.duplicate().limit(offset + payloads.length(i)).position(offset);
  }

  /** Payload {@code i} as a retained slice of the shared buffer; the caller releases it (a write does). */
  ByteBuf retainedPayload(int i) {
    return buffer.retainedSlice(payloads.offset(i), payloads.length(i));
  }
}
