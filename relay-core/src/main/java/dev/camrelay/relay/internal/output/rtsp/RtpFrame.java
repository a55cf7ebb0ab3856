package dev.camrelay.relay.internal.output.rtsp;

import dev.camrelay.frame.rtp.RtpJpegPayloads;
import io.netty.buffer.ByteBuf;

/**
 * One camera frame cut into RFC 2435 payloads, in one direct buffer that every RTSP client of the camera sends
 * from; or, when RTP/JPEG cannot carry the frame, the reason. {@link #payloads} is null exactly when
 * {@link #refusal} is not.
 */
record RtpFrame(RtpJpegPayloads payloads, ByteBuf buffer, String refusal) {

  /** Payload {@code i} as a retained slice of the shared buffer; the caller releases it (a write does). */
  ByteBuf retainedPayload(int i) {
    return buffer.retainedSlice(payloads.offset(i), payloads.length(i));
  }
}
